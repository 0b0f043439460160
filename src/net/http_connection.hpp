#pragma once
// One keep-alive connection to an origin, plain TCP or TLS, with the steps of its life: open
// (resolve, connect, handshake, each under its deadline), exchange requests for responses one at a
// time, and tell whether it can be pooled. Every operation on a connection runs on the strand it
// was opened on (Beast's tcp_stream requires its operations to share one strand).

#include "calrt/net/http_client.hpp"
#include "http_target.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <variant>

namespace calrt::net {

using RequestMessage = boost::beast::http::request<boost::beast::http::string_body>;

// How one request/response exchange ended.
struct ExchangeOutcome {
    Result<HttpResponse> response;
    // The connection was reused from the pool and failed before any response byte arrived: the
    // server most likely closed it while it sat idle.
    bool stale_connection = false;
    // The whole request was written before the failure, so the server may have processed it:
    // only an idempotent request may then be sent again.
    bool request_written = false;
};

class HttpConnection {
  public:
    using TcpStream = boost::beast::tcp_stream;
    using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    // `tls_context` is null for http://. Prefer open().
    HttpConnection(boost::asio::any_io_executor strand, boost::asio::ssl::context* tls_context,
                   std::string where);

    // Resolves, connects and, for https://, verifies the peer in the TLS handshake. Must run on the
    // strand the connection will live on (the coroutine's executor).
    static boost::asio::awaitable<Result<std::unique_ptr<HttpConnection>>> open(
        const HttpTarget& target, const HttpClientOptions& options,
        boost::asio::ssl::context* tls_context);

    // Writes `request` and reads the whole response, all before `deadline`. Must run on executor().
    boost::asio::awaitable<ExchangeOutcome> exchange(const RequestMessage& request,
                                                     std::chrono::steady_clock::time_point deadline,
                                                     std::size_t max_response_bytes);

    boost::asio::any_io_executor executor();
    // Closes the socket: an operation in progress fails at once. Must run on executor().
    void abort();
    // After an exchange: the server agreed to keep the connection open and sent nothing extra.
    bool reusable() const { return reusable_; }
    // An idle connection is usable only while the peer has neither closed it nor sent anything;
    // checked without blocking before a pooled connection is taken.
    bool idle_and_open();

  private:
    TcpStream& tcp();

    std::variant<TcpStream, TlsStream> stream_;
    boost::beast::flat_buffer buffer_;
    std::string where_;
    unsigned completed_exchanges_ = 0;
    bool reusable_ = false;
};

}  // namespace calrt::net
