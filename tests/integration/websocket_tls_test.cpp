// wss:// against an in-process TLS WebSocket server whose certificate comes from a CA generated for
// the test: the peer is verified (trust store plus extra_ca_file, host name) before any upgrade.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "calrt/net/websocket_client.hpp"
#include "support/io_threads.hpp"
#include "support/tls_test_certificates.hpp"

namespace calrt::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// Answers every message with "echo: " + message.
asio::awaitable<void> echo(tcp::socket socket, asio::ssl::context& tls) {
    beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(std::move(socket), tls);
    beast::get_lowest_layer(ws).expires_after(5s);
    auto [handshake_error] =
        co_await ws.next_layer().async_handshake(asio::ssl::stream_base::server, as_result);
    if (handshake_error) co_return;
    beast::get_lowest_layer(ws).expires_never();
    auto [accept_error] = co_await ws.async_accept(as_result);
    if (accept_error) co_return;
    for (;;) {
        beast::flat_buffer buffer;
        auto [read_error, read] = co_await ws.async_read(buffer, as_result);
        if (read_error) co_return;
        const std::string reply = "echo: " + beast::buffers_to_string(buffer.data());
        auto [write_error, written] = co_await ws.async_write(asio::buffer(reply), as_result);
        if (write_error) co_return;
    }
}

asio::awaitable<void> accept_connections(tcp::acceptor& acceptor, asio::ssl::context& tls) {
    for (;;) {
        tcp::socket socket(asio::make_strand(acceptor.get_executor()));
        auto [ec] = co_await acceptor.async_accept(socket, as_result);
        if (ec) co_return;
        auto executor = socket.get_executor();
        asio::co_spawn(executor, echo(std::move(socket), tls), asio::detached);
    }
}

class WebSocketTlsTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        certificates = std::make_unique<test::TestCertificates>();
        other_name_certificates = std::make_unique<test::TestCertificates>(
            std::vector<std::string>{"other.example"}, std::vector<std::string>{});
    }
    static void TearDownTestSuite() {
        certificates.reset();
        other_name_certificates.reset();
    }

    ~WebSocketTlsTest() override { io.stop(); }

    void serve_with(const test::TestCertificates& served) {
        const auto& chain = served.server_certificate_pem();
        const auto& key = served.server_private_key_pem();
        tls.use_certificate_chain(asio::buffer(chain.data(), chain.size()));
        tls.use_private_key(asio::buffer(key.data(), key.size()), asio::ssl::context::pem);
        acceptor.open(tcp::v4());
        acceptor.bind({asio::ip::make_address("127.0.0.1"), 0});
        acceptor.listen();
        asio::co_spawn(acceptor.get_executor(), accept_connections(acceptor, tls), asio::detached);
    }

    // `trusted`: the test CA the client trusts besides the system store (none when null).
    Result<WebSocket> connect(const std::string& host, const test::TestCertificates* trusted) {
        WebSocketOptions options;
        options.connect_timeout = 2s;
        if (trusted) options.extra_ca_file = trusted->ca_file().string();
        const std::string url =
            "wss://" + host + ":" + std::to_string(acceptor.local_endpoint().port()) + "/";
        return io.run(connect_websocket(io.io.get_executor(), url, {}, options));
    }

    static std::unique_ptr<test::TestCertificates> certificates;
    static std::unique_ptr<test::TestCertificates> other_name_certificates;
    test::IoThreads io;
    asio::ssl::context tls{asio::ssl::context::tls_server};
    tcp::acceptor acceptor{asio::make_strand(io.io)};
};

std::unique_ptr<test::TestCertificates> WebSocketTlsTest::certificates;
std::unique_ptr<test::TestCertificates> WebSocketTlsTest::other_name_certificates;

TEST_F(WebSocketTlsTest, ConnectsToAVerifiedServerAndExchangesMessages) {
    serve_with(*certificates);
    auto socket = connect("127.0.0.1", certificates.get());
    ASSERT_TRUE(socket) << socket.error().message;
    ASSERT_TRUE(io.run(socket->write("hello")));
    auto reply = io.run(socket->read());
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(*reply, "echo: hello");
}

TEST_F(WebSocketTlsTest, RefusesACertificateFromAnUntrustedAuthority) {
    serve_with(*certificates);
    auto socket = connect("127.0.0.1", nullptr);
    ASSERT_FALSE(socket);
    EXPECT_EQ(socket.error().code, "tls_verify_failed") << socket.error().message;
}

TEST_F(WebSocketTlsTest, RefusesACertificateForAnotherName) {
    serve_with(*other_name_certificates);  // valid for other.example only
    auto socket = connect("127.0.0.1", other_name_certificates.get());
    ASSERT_FALSE(socket);
    EXPECT_EQ(socket.error().code, "tls_verify_failed") << socket.error().message;
}

}  // namespace
}  // namespace calrt::net
