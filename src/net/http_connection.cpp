#include "http_connection.hpp"

#include "outgoing_connection.hpp"

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

#include <cerrno>
#include <sys/socket.h>
#include <vector>
#include "calrt/net/as_result.hpp"

namespace calrt::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using std::chrono::steady_clock;

namespace {

// Response heads larger than this are refused; real APIs send a few KiB (Beast's 8 KiB default is
// too tight for responses that carry several cookies or long rate-limit headers).
constexpr std::uint32_t kMaxResponseHeadBytes = 64 * 1024;

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
    auto endpoints =
        co_await resolve_endpoints(target.host, std::to_string(target.port), connect_deadline);
    if (!endpoints) co_return endpoints.error();

    auto connection =
        std::make_unique<HttpConnection>(co_await asio::this_coro::executor, tls_context, where);
    if (auto connected = co_await connect_tcp(connection->tcp(), *endpoints, where, connect_deadline);
        !connected) {
        co_return connected.error();
    }
    if (auto* tls = std::get_if<TlsStream>(&connection->stream_)) {
        const auto handshake_deadline = steady_clock::now() + options.tls_handshake_timeout;
        if (auto secured = co_await handshake_tls(*tls, target.host, where, handshake_deadline);
            !secured) {
            co_return secured.error();
        }
    }
    connection->tcp().expires_never();
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
