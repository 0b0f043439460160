#pragma once
// An asynchronous HTTP/1.1 client over Beast and OpenSSL, for calling Calendly (and anything else
// the service talks to over HTTP). One instance keeps a bounded keep-alive pool per scheme://host:port.
// `https://` verifies the peer against the system trust store (plus an optional extra CA file),
// checks the host name and sends SNI; `http://` is accepted for loopback tests and the sandbox.
//
// Failures are values (calrt::Error). Their `code` tells the caller what happened, which decides
// whether a retry is safe:
//   "invalid_url"        the URL could not be used; nothing was sent
//   "invalid_request"    the method or a header name/value cannot be sent as is; nothing was sent
//   "connect_failed"     DNS, TCP connect or TLS handshake failed or timed out (kind upstream_timeout
//                        then); nothing was sent
//   "tls_verify_failed"  the peer's certificate or host name did not verify; nothing was sent
//   "timeout"            the request timeout passed while sending or reading (kind upstream_timeout);
//                        the request may have been processed
//   "connection_lost"    the connection broke after the request was sent; it may have been processed
//   "bad_response"       the peer's answer was not valid HTTP or exceeded max_response_bytes
//   "aborted"            abort() was called (shutdown); the request may have been processed
// A response with any HTTP status (including 4xx/5xx) is a success at this level.

#include "calrt/core/error.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calrt::net {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Every member has an initializer so that designated initializers may name only what they set
// (GCC's -Wmissing-field-initializers stays quiet for members with one).
struct HttpRequest {
    std::string method = "GET";
    std::string url{};  // absolute: scheme://host[:port]/path?query, already percent-encoded
    HeaderList headers{};
    std::string body{};
    // Overrides HttpClientOptions::request_timeout for this request when set.
    std::optional<std::chrono::milliseconds> timeout{};
    // Whether sending the request twice has the effect of sending it once (RFC 9110 section
    // 9.2.2). It decides whether a request that was written in full on a pooled connection, which
    // then broke without an answer, is sent again on a fresh one: the server may have processed
    // it. Unset: decided by the method (GET, HEAD, OPTIONS, TRACE, PUT and DELETE are).
    std::optional<bool> idempotent{};
};

struct HttpResponse {
    unsigned status = 0;
    HeaderList headers;
    std::string body;

    // Case-insensitive; empty when absent.
    std::string_view header(std::string_view name) const;
};

struct HttpClientOptions {
    std::chrono::milliseconds connect_timeout{5'000};        // DNS + TCP connect
    std::chrono::milliseconds tls_handshake_timeout{5'000};
    std::chrono::milliseconds request_timeout{15'000};       // write request + read whole response
    std::size_t max_idle_connections_per_host = 8;
    std::chrono::milliseconds idle_connection_ttl{30'000};   // pooled connections older than this are dropped
    std::size_t max_response_bytes = 16 * 1024 * 1024;
    std::string extra_ca_file;  // PEM file trusted in addition to the system store (tests, private CAs)
    std::string user_agent = "calendly-realtime";
};

class HttpClient {
public:
    HttpClient(boost::asio::any_io_executor executor, HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends one request and reads the whole response. Safe to call concurrently from coroutines on
    // any thread. A pooled connection that turns out to be closed by the server before any response
    // byte arrives is replaced and the request sent once more on a fresh connection, but only when
    // writing the request failed (the server cannot have processed it) or the request is
    // idempotent; otherwise the failure ("connection_lost") is returned.
    boost::asio::awaitable<Result<HttpResponse>> send(HttpRequest request);

    const HttpClientOptions& options() const;

    // For shutdown: cuts off the requests in flight (they fail with `aborted`) and refuses later
    // ones the same way, so nothing waits out a request timeout. Thread-safe.
    void abort();

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace calrt::net
