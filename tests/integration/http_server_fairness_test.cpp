// Fairness between clients under abuse (issue 20, review items N1, N2, N8), over real sockets:
// one client address holds at most its share of the body budget, a wider network can be capped as
// a whole, and connections refused on accept are counted and closed at once. Distinct client
// addresses are distinct loopback addresses (127.0.0.2, 127.0.0.3, ...: Linux routes all of
// 127.0.0.0/8 to the loopback interface).
#include "calrt/server/responses.hpp"
#include "server/request_body.hpp"
#include "support/http_test_client.hpp"
#include "support/running_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <memory>
#include <vector>

namespace calrt::server {
namespace {

namespace asio = boost::asio;
using test::HttpTestClient;
using namespace std::chrono_literals;

void expect_error(const test::HttpResponse& response, unsigned status, std::string_view code) {
    EXPECT_EQ(response.result_int(), status) << response.body();
    EXPECT_EQ(nlohmann::json::parse(response.body())["error"]["code"], code) << response.body();
    EXPECT_EQ(response["Retry-After"], "1");
}

// A declared body of `length` bytes to /echo, without the body.
std::string echo_head(std::size_t length) {
    return "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(length) + "\r\n\r\n";
}

class HttpServerFairnessTest : public ::testing::Test {
protected:
    void start() {
        server.router.post("/echo", sync_handler([](Request& r) { return json_response(200, {{"bytes", r.body.size()}}); }));
        server.router.get("/ping", sync_handler([](Request&) { return json_response(200, {{"pong", true}}); }));
        server.start();
    }

    // One line of the Prometheus text, e.g. `http_connections_refused_total{reason="x"} 1`.
    bool metrics_show(const std::string& line) const {
        return ("\n" + server.metrics.render()).find("\n" + line + "\n") != std::string::npos;
    }

    test::RunningServer server;
};

TEST_F(HttpServerFairnessTest, OneAddressHoldsAtMostItsShareOfTheBodyBudget) {
    server.config.limits.max_body_bytes = 1024 * 1024;
    server.config.limits.max_buffered_body_bytes = 1024 * 1024;
    server.config.limits.max_buffered_body_bytes_per_address = 2 * kBodyReadAheadBytes;
    start();
    // Two idle bodies from one address take its share ...
    std::vector<std::unique_ptr<HttpTestClient>> idle;
    for (int i = 0; i < 2; ++i) {
        idle.push_back(std::make_unique<HttpTestClient>(server.port(), "127.0.0.2"));
        idle.back()->send_raw(echo_head(1024 * 1024));
    }
    ASSERT_TRUE(test::wait_until([&] { return server.server_->buffered_body_bytes() == 2 * kBodyReadAheadBytes; }))
        << server.server_->buffered_body_bytes();
    // ... so its next body is refused, though most of the budget is free ...
    HttpTestClient third(server.port(), "127.0.0.2");
    third.send_raw(echo_head(1024 * 1024));
    const auto refused = third.read_response();
    ASSERT_TRUE(refused);
    expect_error(*refused, 429, "too_many_request_bodies");
    EXPECT_TRUE(metrics_show(R"(http_body_budget_refusals_total{reason="address_share"} 1)")) << server.metrics.render();
    // ... while another address's body is read and handled.
    HttpTestClient other(server.port(), "127.0.0.3");
    const auto served = other.request("POST", "/echo", {{"Content-Type", "application/json"}}, std::string(8 * 1024, 'x'));
    ASSERT_TRUE(served);
    EXPECT_EQ(served->result_int(), 200u) << served->body();
}

TEST_F(HttpServerFairnessTest, ABodyGrowingPastItsAddressShareIsRefusedAsItArrives) {
    server.config.limits.max_body_bytes = 1024 * 1024;
    server.config.limits.max_buffered_body_bytes_per_address = 2 * kBodyReadAheadBytes;
    start();
    HttpTestClient client(server.port(), "127.0.0.2");
    client.send_raw(echo_head(256 * 1024) + std::string(64 * 1024, 'x'));
    const auto refused = client.read_response();
    ASSERT_TRUE(refused);
    expect_error(*refused, 429, "too_many_request_bodies");
    EXPECT_TRUE(test::wait_until([&] { return server.server_->buffered_body_bytes() == 0; }));
}

TEST_F(HttpServerFairnessTest, TheIpv4Slash24TierCapsConnectionsOfOneNetworkWhenTurnedOn) {
    server.config.limits.max_connections_per_address = 64;
    server.config.limits.max_connections_per_ipv4_24 = 2;
    start();
    // Two addresses of 127.0.0.0/24 hold its two connections ...
    HttpTestClient first(server.port(), "127.0.0.2");
    HttpTestClient second(server.port(), "127.0.0.3");
    ASSERT_TRUE(test::wait_until([&] { return server.server_->open_connections() == 2; }));
    // ... so a third address of the same /24 is refused on accept, before any request ...
    HttpTestClient refused(server.port(), "127.0.0.4");
    const auto answer = refused.read_response();
    ASSERT_TRUE(answer);
    expect_error(*answer, 429, "too_many_connections");
    EXPECT_NE(answer->body().find("network"), std::string::npos) << answer->body();
    EXPECT_TRUE(metrics_show(R"(http_connections_refused_total{reason="too_many_connections_from_network"} 1)"))
        << server.metrics.render();
    // ... while an address of another /24 is served.
    HttpTestClient elsewhere(server.port(), "127.0.1.2");
    const auto served = elsewhere.request("GET", "/ping");
    ASSERT_TRUE(served);
    EXPECT_EQ(served->result_int(), 200u);
}

// True once the server has closed `socket` entirely: a closed socket answers the next byte with a
// reset, while a lingering close still reads and discards it.
bool reset_by_server(asio::ip::tcp::socket& socket) {
    const char byte = 'x';
    if (::send(socket.native_handle(), &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN) return true;
    pollfd watched{socket.native_handle(), 0, 0};
    return ::poll(&watched, 1, 0) == 1 && (watched.revents & (POLLERR | POLLHUP)) != 0;
}

TEST_F(HttpServerFairnessTest, ARefusedConnectionIsCountedAndClosedAtOnceThoughItNeverReads) {
    server.config.limits.max_connections_per_address = 1;
    start();
    HttpTestClient holder(server.port(), "127.0.0.2");
    ASSERT_TRUE(test::wait_until([&] { return server.server_->open_connections() == 1; }));

    // A client past its cap that never reads its refusal and never closes.
    asio::io_context io;
    asio::ip::tcp::socket silent(io);
    silent.open(asio::ip::tcp::v4());
    silent.bind({asio::ip::make_address("127.0.0.2"), 0});
    silent.connect({asio::ip::make_address("127.0.0.1"), server.port()});
    ASSERT_TRUE(test::wait_until(
        [&] { return metrics_show(R"(http_connections_refused_total{reason="too_many_connections_from_address"} 1)"); }))
        << server.metrics.render();
    // A refusal lasts at most half a second (it used to linger for up to 5 s).
    EXPECT_TRUE(test::wait_until([&] { return reset_by_server(silent); }, 2s));
}

}  // namespace
}  // namespace calrt::server
