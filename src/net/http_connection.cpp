#include "http_connection.hpp"

#include "calrt/net/tls.hpp"
#include "resolve.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <openssl/x509.h>

#include <cerrno>
#include <sys/socket.h>
#include <vector>

namespace calrt::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using std::chrono::steady_clock;

namespace {

constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// Response heads larger than this are refused; real APIs send a few KiB (Beast's 8 KiB default is
// too tight for responses that carry several cookies or long rate-limit headers).
constexpr std::uint32_t kMaxResponseHeadBytes = 64 * 1024;

std::string milliseconds_text(std::chrono::milliseconds duration) {
    return std::to_string(duration.count()) + " ms";
}

Error connect_failed(std::string message, ErrorKind kind = ErrorKind::upstream_failed) {
    return Error::make(kind, "connect_failed", std::move(message));
}

asio::awaitable<Result<std::vector<tcp::endpoint>>> resolve(
    const HttpTarget& target, steady_clock::time_point deadline,
    std::chrono::milliseconds connect_timeout) {
    auto [ec, endpoints] = co_await resolve_before(target.host, std::to_string(target.port), deadline);
    if (ec == asio::error::timed_out) {
        co_return connect_failed(
            "looking up " + target.host + " timed out after " + milliseconds_text(connect_timeout),
            ErrorKind::upstream_timeout);
    }
    if (ec) co_return connect_failed("cannot resolve " + target.host + ": " + ec.message());
    co_return std::move(endpoints);
}

Error handshake_failed(HttpConnection::TlsStream& stream, const boost::system::error_code& ec,
                       const std::string& where, std::chrono::milliseconds timeout) {
    const long verify_result = SSL_get_verify_result(stream.native_handle());
    if (verify_result != X509_V_OK) {
        return Error::make(ErrorKind::upstream_failed, "tls_verify_failed",
                           "the TLS certificate of " + where +
                               " did not verify: " + X509_verify_cert_error_string(verify_result) +
                               " (trust its CA with extra_ca_file if it is private)");
    }
    if (ec == beast::error::timeout) {
        return connect_failed(
            "the TLS handshake with " + where + " timed out after " + milliseconds_text(timeout),
            ErrorKind::upstream_timeout);
    }
    return connect_failed("the TLS handshake with " + where + " failed: " + ec.message());
}

bool is_http_syntax_error(const boost::system::error_code& ec) {
    return ec.category() == make_error_code(http::error::bad_target).category() &&
           ec != http::error::end_of_stream && ec != http::error::partial_message;
}

// `written`: the request went out in full before the failure (a read failed, not the write).
ExchangeOutcome failed_exchange(const boost::system::error_code& ec, const std::string& where,
                                std::size_t max_response_bytes, bool reused, bool written,
                                bool response_started) {
    if (ec == beast::error::timeout) {
        return {
            Error::make(ErrorKind::upstream_timeout, "timeout",
                        "the request to " + where + " timed out before the whole response arrived"),
            false, written};
    }
    if (ec == http::error::body_limit) {
        return {Error::make(ErrorKind::upstream_failed, "bad_response",
                            "the response from " + where + " exceeds the limit of " +
                                std::to_string(max_response_bytes) + " bytes"),
                false, written};
    }
    if (ec == http::error::header_limit) {
        return {Error::make(ErrorKind::upstream_failed, "bad_response",
                            "the response head from " + where + " exceeds " +
                                std::to_string(kMaxResponseHeadBytes) + " bytes"),
                false, written};
    }
    if (is_http_syntax_error(ec)) {
        return {
            Error::make(ErrorKind::upstream_failed, "bad_response",
                        "the response from " + where + " is not valid HTTP/1.1: " + ec.message()),
            false, written};
    }
    return {Error::make(ErrorKind::upstream_failed, "connection_lost",
                        "the connection to " + where +
                            " was lost before the response was complete: " + ec.message()),
            reused && !response_started, written};
}

HttpResponse to_response(http::response<http::string_body>&& message) {
    HttpResponse response;
    response.status = message.result_int();
    for (const auto& field : message) {
        response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(message.body());
    return response;
}

template <class Stream>
asio::awaitable<ExchangeOutcome> exchange_on(Stream& stream, beast::flat_buffer& buffer,
                                             const RequestMessage& request,
                                             const std::string& where,
                                             std::size_t max_response_bytes, bool reused,
                                             bool& reusable) {
    auto [write_ec, written] = co_await http::async_write(stream, request, as_result);
    if (write_ec) {
        co_return failed_exchange(write_ec, where, max_response_bytes, reused, false, false);
    }

    bool interim_response_seen = false;
    for (;;) {
        http::response_parser<http::string_body> parser;
        parser.header_limit(kMaxResponseHeadBytes);
        parser.body_limit(max_response_bytes);
        // A response to HEAD has no body whatever its Content-Length says (RFC 9110 section 9.3.2).
        parser.skip(request.method() == http::verb::head);
        auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, as_result);
        if (read_ec) {
            const bool started = interim_response_seen || parser.got_some() || buffer.size() > 0;
            co_return failed_exchange(read_ec, where, max_response_bytes, reused, true, started);
        }
        const unsigned status = parser.get().result_int();
        // Interim 1xx responses precede the final one and must be skipped (RFC 9110 section 15.2).
        if (status >= 100 && status < 200 && status != 101) {
            interim_response_seen = true;
            continue;
        }
        reusable = parser.get().keep_alive() && status != 101 && buffer.size() == 0;
        co_return ExchangeOutcome{to_response(parser.release()), false, true};
    }
}

std::variant<HttpConnection::TcpStream, HttpConnection::TlsStream> make_stream(
    asio::any_io_executor strand, asio::ssl::context* tls_context) {
    using Variant = std::variant<HttpConnection::TcpStream, HttpConnection::TlsStream>;
    if (tls_context) {
        return Variant(std::in_place_type<HttpConnection::TlsStream>, std::move(strand),
                       *tls_context);
    }
    return Variant(std::in_place_type<HttpConnection::TcpStream>, std::move(strand));
}

}  // namespace

HttpConnection::HttpConnection(asio::any_io_executor strand, asio::ssl::context* tls_context,
                               std::string where)
    : stream_(make_stream(std::move(strand), tls_context)), where_(std::move(where)) {}

HttpConnection::TcpStream& HttpConnection::tcp() {
    return std::visit([](auto& stream) -> TcpStream& { return beast::get_lowest_layer(stream); },
                      stream_);
}

asio::any_io_executor HttpConnection::executor() { return tcp().get_executor(); }

void HttpConnection::abort() { tcp().close(); }

bool HttpConnection::idle_and_open() {
    char byte = 0;
    const auto peeked = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

asio::awaitable<Result<std::unique_ptr<HttpConnection>>> HttpConnection::open(
    const HttpTarget& target, const HttpClientOptions& options, asio::ssl::context* tls_context) {
    const std::string where = target.where();
    const auto connect_deadline = steady_clock::now() + options.connect_timeout;
    auto endpoints = co_await resolve(target, connect_deadline, options.connect_timeout);
    if (!endpoints) co_return endpoints.error();

    auto connection =
        std::make_unique<HttpConnection>(co_await asio::this_coro::executor, tls_context, where);
    TcpStream& transport = connection->tcp();
    transport.expires_at(connect_deadline);
    auto [connect_ec, endpoint] = co_await transport.async_connect(*endpoints, as_result);
    if (connect_ec == beast::error::timeout) {
        co_return connect_failed("connecting to " + where + " timed out after " +
                                     milliseconds_text(options.connect_timeout),
                                 ErrorKind::upstream_timeout);
    }
    if (connect_ec) {
        co_return connect_failed("connecting to " + where + " failed: " + connect_ec.message());
    }

    if (auto* tls = std::get_if<TlsStream>(&connection->stream_)) {
        if (auto prepared = prepare_tls_connection(tls->native_handle(), target.host); !prepared) {
            co_return connect_failed("cannot start TLS with " + where + ": " +
                                     prepared.error().message);
        }
        transport.expires_after(options.tls_handshake_timeout);
        auto [handshake_ec] =
            co_await tls->async_handshake(asio::ssl::stream_base::client, as_result);
        if (handshake_ec) {
            co_return handshake_failed(*tls, handshake_ec, where, options.tls_handshake_timeout);
        }
    }
    transport.expires_never();
    co_return connection;
}

asio::awaitable<ExchangeOutcome> HttpConnection::exchange(const RequestMessage& request,
                                                          steady_clock::time_point deadline,
                                                          std::size_t max_response_bytes) {
    const bool reused = completed_exchanges_ > 0;
    reusable_ = false;
    // One deadline for writing the request and reading the whole response: tcp_stream applies it
    // to every operation until it is changed.
    tcp().expires_at(deadline);
    auto outcome = co_await std::visit(
        [&](auto& stream) {
            return exchange_on(stream, buffer_, request, where_, max_response_bytes, reused,
                               reusable_);
        },
        stream_);
    tcp().expires_never();
    if (outcome.response) ++completed_exchanges_;
    co_return outcome;
}

}  // namespace calrt::net
