#include "outgoing_connection.hpp"

#include <openssl/x509.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

#include "calrt/net/tls.hpp"
#include "resolve.hpp"
#include "calrt/net/as_result.hpp"

namespace calrt::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using std::chrono::steady_clock;

namespace {

}  // namespace

Error connect_failed(std::string message, ErrorKind kind) {
    return Error::make(kind, "connect_failed", std::move(message));
}

asio::awaitable<Result<std::vector<tcp::endpoint>>> resolve_endpoints(
    std::string host, std::string port, steady_clock::time_point deadline) {
    auto [ec, endpoints] = co_await resolve_before(host, port, deadline);
    if (ec == asio::error::timed_out) {
        co_return connect_failed("looking up " + host + " timed out", ErrorKind::upstream_timeout);
    }
    if (ec) co_return connect_failed("cannot resolve " + host + ": " + ec.message());
    co_return std::move(endpoints);
}

asio::awaitable<Result<void>> connect_tcp(beast::tcp_stream& stream,
                                          const std::vector<tcp::endpoint>& endpoints,
                                          std::string where, steady_clock::time_point deadline) {
    stream.expires_at(deadline);
    auto [ec, connected] = co_await stream.async_connect(endpoints, as_result);
    if (ec == beast::error::timeout) {
        co_return connect_failed("connecting to " + where + " timed out",
                                 ErrorKind::upstream_timeout);
    }
    if (ec) co_return connect_failed("connecting to " + where + " failed: " + ec.message());
    // Realtime events and requests are small writes that should leave at once: with Nagle's
    // algorithm a write waits for the previous one's ACK, which the peer may delay by 40 ms.
    boost::system::error_code no_delay_ec;
    stream.socket().set_option(tcp::no_delay(true), no_delay_ec);
    co_return Result<void>{};
}

asio::awaitable<Result<void>> handshake_tls(beast::ssl_stream<beast::tcp_stream>& stream,
                                            std::string host, std::string where,
                                            steady_clock::time_point deadline) {
    if (auto prepared = prepare_tls_connection(stream.native_handle(), host); !prepared) {
        co_return connect_failed("cannot start TLS with " + where + ": " +
                                 prepared.error().message);
    }
    beast::get_lowest_layer(stream).expires_at(deadline);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, as_result);
    if (!ec) co_return Result<void>{};
    // OpenSSL records why verification failed, whichever way the handshake error surfaced.
    const long verify_result = SSL_get_verify_result(stream.native_handle());
    if (verify_result != X509_V_OK) {
        co_return Error::make(ErrorKind::upstream_failed, "tls_verify_failed",
                              "the TLS certificate of " + where + " did not verify: " +
                                  X509_verify_cert_error_string(verify_result) +
                                  " (trust its CA with extra_ca_file if it is private)");
    }
    if (ec == beast::error::timeout) {
        co_return connect_failed("the TLS handshake with " + where + " timed out",
                                 ErrorKind::upstream_timeout);
    }
    co_return connect_failed("the TLS handshake with " + where + " failed: " + ec.message());
}

}  // namespace calrt::net
