// The WebSocket client over real loopback sockets, against the fake Realtime server (which also
// exercises HttpServer's upgrade hook and the server side of net::WebSocket).
#include "calrt/net/websocket_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "calrt/net/websocket_accept.hpp"
#include "calrt/realtime/client_events.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/upgrade_connection.hpp"
#include "support/io_threads.hpp"
#include "support/running_server.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"

namespace calrt::net {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Writes `count` user messages "id:n:padding" one after another.
boost::asio::awaitable<void> write_numbered(WebSocket& socket, int id, int count,
                                            std::string padding) {
    for (int n = 0; n < count; ++n) {
        std::string message = realtime::user_text_message(std::to_string(id) + ":" +
                                                          std::to_string(n) + ":" + padding)
                                  .dump();
        auto written = co_await socket.write(std::move(message));
        EXPECT_TRUE(written);
    }
}

class WebSocketClientTest : public ::testing::Test {
  protected:
    WebSocketClientTest() { fake.start(); }
    ~WebSocketClientTest() override { io.stop(); }

    Result<WebSocket> connect(std::string key = "test-openai-key", WebSocketOptions options = {}) {
        HeaderList headers;
        if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
        return io.run(
            connect_websocket(io.io.get_executor(), fake.url() + "?model=m1", headers, options));
    }

    Result<std::string> read(WebSocket& socket) { return io.run(socket.read()); }

    std::string read_type(WebSocket& socket) {
        auto message = read(socket);
        if (!message) return "(" + message.error().code + ")";
        return json::parse(*message).value("type", "");
    }

    test::IoThreads io;
    calrt::testing::FakeRealtime fake{io.io};
};

TEST_F(WebSocketClientTest, ConnectsWithTheBearerKeyAndReadsTheFirstEvent) {
    auto socket = connect();
    ASSERT_TRUE(socket) << socket.error().message;
    EXPECT_EQ(read_type(*socket), "session.created");
    EXPECT_EQ(fake.last_model(), "m1");
}

TEST_F(WebSocketClientTest, WrongKeyIsRefusedBeforeTheUpgradeWithoutEchoingTheKey) {
    auto socket = connect("sk-wrong-key-123");
    ASSERT_FALSE(socket);
    EXPECT_EQ(socket.error().code, "handshake_rejected");
    EXPECT_NE(socket.error().message.find("401"), std::string::npos) << socket.error().message;
    EXPECT_EQ(socket.error().message.find("sk-wrong-key-123"), std::string::npos);
    EXPECT_EQ(fake.connections_rejected(), 1u);
    EXPECT_EQ(fake.connections_accepted(), 0u);
}

TEST_F(WebSocketClientTest, RoundTripsTextMessages) {
    auto socket = connect();
    ASSERT_TRUE(socket);
    ASSERT_EQ(read_type(*socket), "session.created");
    realtime::SessionConfig config;
    config.instructions = "Be kind.";
    ASSERT_TRUE(io.run(socket->write(realtime::session_update(config).dump())));
    auto updated = read(*socket);
    ASSERT_TRUE(updated);
    const json event = json::parse(*updated);
    EXPECT_EQ(event["type"], "session.updated");
    EXPECT_EQ(event["session"]["instructions"], "Be kind.");
}

TEST_F(WebSocketClientTest, ConcurrentWritersNeverInterleaveMessages) {
    auto socket = connect();
    ASSERT_TRUE(socket);
    constexpr int kWriters = 8;
    constexpr int kMessagesEach = 10;
    const std::string padding(4000, 'x');
    std::vector<std::future<void>> writers;
    for (int id = 0; id < kWriters; ++id)
        writers.push_back(io.spawn(write_numbered(*socket, id, kMessagesEach, padding)));
    for (auto& done : writers) ASSERT_EQ(done.wait_for(5s), std::future_status::ready);

    ASSERT_TRUE(
        test::wait_until([&] { return fake.user_texts().size() == kWriters * kMessagesEach; }));
    std::vector<int> next(kWriters, 0);
    for (const auto& text : fake.user_texts()) {
        const auto first = text.find(':');
        const auto second = text.find(':', first + 1);
        const int id = std::stoi(text.substr(0, first));
        EXPECT_EQ(std::stoi(text.substr(first + 1, second - first - 1)),
                  next[id]++);                        // each writer in order
        EXPECT_EQ(text.substr(second + 1), padding);  // and whole
    }
}

TEST_F(WebSocketClientTest, SendQueuesMessagesInCallOrder) {
    auto socket = connect();
    ASSERT_TRUE(socket);
    for (int n = 0; n < 50; ++n)
        socket->send(realtime::user_text_message(std::to_string(n)).dump());
    ASSERT_TRUE(test::wait_until([&] { return fake.user_texts().size() == 50; }));
    const auto texts = fake.user_texts();
    for (int n = 0; n < 50; ++n) EXPECT_EQ(texts[static_cast<std::size_t>(n)], std::to_string(n));
}

// A relay closing its upstream right after forwarding must not lose what it forwarded: the close
// frame waits behind the messages queued before it.
TEST_F(WebSocketClientTest, CloseGoesOutAfterEveryMessageSentBeforeIt) {
    auto socket = connect();
    ASSERT_TRUE(socket);
    const std::string padding(4000, 'x');  // enough that the queue is still full when close comes
    for (int n = 0; n < 50; ++n)
        socket->send(realtime::user_text_message(std::to_string(n) + padding).dump());
    io.run(socket->close(close_code::normal, "done"));
    ASSERT_TRUE(test::wait_until([&] { return fake.open_connections() == 0; }));
    const auto texts = fake.user_texts();
    ASSERT_EQ(texts.size(), 50u);
    for (int n = 0; n < 50; ++n)
        EXPECT_EQ(texts[static_cast<std::size_t>(n)], std::to_string(n) + padding);
    socket->send("{}");  // and nothing after it
    EXPECT_FALSE(io.run(socket->write("{}")));
}

TEST_F(WebSocketClientTest, MessageOverTheLimitFailsTheReadAndClosesTheConnection) {
    WebSocketOptions options;
    options.max_message_bytes = 64;  // session.created is larger
    auto socket = connect("test-openai-key", options);
    ASSERT_TRUE(socket);
    auto message = read(*socket);
    ASSERT_FALSE(message);
    EXPECT_EQ(message.error().code, "message_too_large");
    EXPECT_TRUE(test::wait_until([&] { return fake.open_connections() == 0; }));
}

TEST_F(WebSocketClientTest, CloseFromThisSideEndsThePendingRead) {
    auto socket = connect();
    ASSERT_TRUE(socket);
    ASSERT_EQ(read_type(*socket), "session.created");
    auto pending = io.spawn(socket->read());
    io.run(socket->close(close_code::normal, "done here"));
    ASSERT_EQ(pending.wait_for(5s), std::future_status::ready);
    auto message = pending.get();
    ASSERT_FALSE(message);
    EXPECT_EQ(message.error().code, "closed");
    EXPECT_TRUE(test::wait_until([&] { return fake.open_connections() == 0; }));
    EXPECT_FALSE(io.run(socket->write("{}")));  // nothing goes out after close
}

TEST_F(WebSocketClientTest, PeerCloseReportsItsCodeAndReason) {
    auto socket = connect();
    ASSERT_TRUE(socket);
    ASSERT_EQ(read_type(*socket), "session.created");
    ASSERT_TRUE(test::wait_until([&] { return fake.open_connections() == 1; }));
    fake.close_connections(close_code::going_away, "maintenance");
    auto message = read(*socket);
    ASSERT_FALSE(message);
    EXPECT_EQ(message.error().code, "closed");
    EXPECT_NE(message.error().message.find("maintenance"), std::string::npos)
        << message.error().message;
    ASSERT_TRUE(socket->peer_close());
    EXPECT_EQ(socket->peer_close()->code, close_code::going_away);
    EXPECT_EQ(socket->peer_close()->reason, "maintenance");
}

TEST_F(WebSocketClientTest, RefusesUrlsThatAreNotWebSocketUrls) {
    auto socket = io.run(connect_websocket(io.io.get_executor(), "http://127.0.0.1:1/"));
    ASSERT_FALSE(socket);
    EXPECT_EQ(socket.error().code, "invalid_url");
}

TEST_F(WebSocketClientTest, NothingListeningFailsWithConnectFailed) {
    boost::asio::ip::tcp::acceptor probe(io.io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const auto port = probe.local_endpoint().port();
    probe.close();  // the port is now free and refuses connections
    auto socket = io.run(
        connect_websocket(io.io.get_executor(), "ws://127.0.0.1:" + std::to_string(port) + "/"));
    ASSERT_FALSE(socket);
    EXPECT_EQ(socket.error().code, "connect_failed");
}

// A server that completes the upgrade and then never reads: pings go unanswered. (A named
// coroutine, not a lambda: GCC 12 destroys temporaries of a co_await expression in a lambda
// coroutine twice.)
boost::asio::awaitable<void> accept_and_stay_silent(
    std::unique_ptr<server::UpgradeConnection> connection) {
    const WebSocketOptions options;
    auto socket = co_await accept_websocket(std::move(connection->stream),
                                            std::move(connection->request), options);
    boost::asio::steady_timer hold(co_await boost::asio::this_coro::executor, 10s);
    co_await hold.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

class WebSocketIdleTimeoutTest : public ::testing::Test {
  protected:
    WebSocketIdleTimeoutTest() {
        silent.on_upgrade("/silent", [](std::unique_ptr<server::UpgradeConnection> connection) {
            return accept_and_stay_silent(std::move(connection));
        });
        silent.start();
    }
    ~WebSocketIdleTimeoutTest() override { io.stop(); }

    test::IoThreads io;
    MetricsRegistry metrics;
    server::Router router;
    server::HttpServer silent{io.io, test::test_server_config(), router, metrics};
};

TEST_F(WebSocketIdleTimeoutTest, SilentPeerFailsTheReadWithTimeout) {
    WebSocketOptions options;
    options.idle_timeout = 200ms;
    const std::string url = "ws://127.0.0.1:" + std::to_string(silent.port()) + "/silent";
    auto socket = io.run(connect_websocket(io.io.get_executor(), url, {}, options));
    ASSERT_TRUE(socket) << socket.error().message;
    const auto started = std::chrono::steady_clock::now();
    auto message = io.run(socket->read());
    ASSERT_FALSE(message);
    EXPECT_EQ(message.error().code, "timeout");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

}  // namespace
}  // namespace calrt::net
