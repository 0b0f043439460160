#include "support/tls_test_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>

namespace calrt::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

}  // namespace

TlsTestServer::TlsTestServer(const TestCertificates& certificates, TlsTestServerOptions options)
    : tls_context_(asio::ssl::context::tls_server),
      acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
      options_(std::move(options)) {
    const auto& chain = certificates.server_certificate_pem();
    const auto& key = certificates.server_private_key_pem();
    tls_context_.use_certificate_chain(asio::buffer(chain.data(), chain.size()));
    tls_context_.use_private_key(asio::buffer(key.data(), key.size()), asio::ssl::context::pem);
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, accept_connections(), asio::detached);
    thread_ = std::jthread([this] { io_.run(); });
}

TlsTestServer::~TlsTestServer() {
    io_.stop();
    thread_.join();
}

std::vector<std::string> TlsTestServer::server_names() const {
    const std::lock_guard lock(mutex_);
    return server_names_;
}

asio::awaitable<void> TlsTestServer::accept_connections() {
    for (;;) {
        auto [ec, socket] = co_await acceptor_.async_accept(as_result);
        if (ec) co_return;
        ++accepted_connections_;
        asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
}

asio::awaitable<void> TlsTestServer::serve(tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), tls_context_);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
    auto [handshake_ec] =
        co_await stream.async_handshake(asio::ssl::stream_base::server, as_result);
    const char* server_name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
    {
        const std::lock_guard lock(mutex_);
        server_names_.emplace_back(server_name ? server_name : "");
    }
    if (handshake_ec) co_return;

    beast::flat_buffer buffer;
    for (std::size_t answered = 0;; ++answered) {
        http::request<http::string_body> request;
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
        auto [read_ec, read] = co_await http::async_read(stream, buffer, request, as_result);
        if (read_ec || answered == options_.answered_requests_per_connection) break;
        if (options_.response_delay.count() > 0) {
            asio::steady_timer delay(co_await asio::this_coro::executor, options_.response_delay);
            co_await delay.async_wait(as_result);
        }
        http::response<http::string_body> response{http::status::ok, request.version()};
        response.set(http::field::content_type, "application/json");
        response.keep_alive(request.keep_alive());
        response.body() = options_.body;
        response.prepare_payload();
        // Counted before the write, so that a client holding the response sees it counted.
        ++answered_requests_;
        auto [write_ec, written] = co_await http::async_write(stream, response, as_result);
        if (write_ec) break;
        if (!response.keep_alive()) break;
    }
    // An abrupt close (no close_notify), as a server or load balancer dropping the connection does.
    beast::get_lowest_layer(stream).close();
}

}  // namespace calrt::test
