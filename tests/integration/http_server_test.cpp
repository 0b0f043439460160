// The HTTP server core over a real socket: routing errors, limits, keep-alive, timeouts, shutdown,
// request ids and metrics.
#include "calrt/server/ops_routes.hpp"
#include "calrt/server/responses.hpp"
#include "calrt/server/static_files.hpp"
#include "support/http_test_client.hpp"
#include "support/running_server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>

namespace calrt::server {
namespace {

using test::HttpTestClient;
using test::RunningServer;
using namespace std::chrono_literals;

nlohmann::json json_of(const test::HttpResponse& response) { return nlohmann::json::parse(response.body()); }

void expect_error(const test::HttpResponse& response, unsigned status, std::string_view code) {
    EXPECT_EQ(response.result_int(), status) << response.body();
    // Every answer carries one, also those sent before a request was routed or even read.
    EXPECT_FALSE(response["X-Request-Id"].empty()) << status << " " << code;
    auto body = json_of(response);
    ASSERT_TRUE(body.contains("error")) << response.body();
    EXPECT_EQ(body["error"]["code"], code);
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
}

class HttpServerTest : public ::testing::Test {
protected:
    void start() {
        server.router.post("/echo", sync_handler([](Request& r) {
                               return json_response(200, {{"body", r.body}, {"id", r.request_id}});
                           }));
        server.router.get("/hello", sync_handler([](Request& r) {
                              return json_response(200, {{"hello", std::string(r.query_param("name").value_or("you"))}});
                          }));
        server.router.get("/slow", [this](Request&) -> boost::asio::awaitable<Response> {
            slow_started = true;
            boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 300ms);
            co_await timer.async_wait(boost::asio::use_awaitable);
            co_return json_response(200, {{"slow", true}});
        });
        server.router.get("/throws", [](Request&) -> boost::asio::awaitable<Response> {
            throw std::runtime_error("bug");
            co_return Response{};
        });
        add_ops_routes(server.router, server.readiness, server.metrics);
        server.start();
    }

    RunningServer server;
    std::atomic<bool> slow_started{false};
};

TEST_F(HttpServerTest, UnknownPathAnswers404WithErrorBody) {
    start();
    expect_error(test::http_request(server.port(), "GET", "/nope"), 404, "not_found");
}

TEST_F(HttpServerTest, WrongMethodAnswers405WithAllowHeader) {
    start();
    auto response = test::http_request(server.port(), "DELETE", "/echo");
    expect_error(response, 405, "method_not_allowed");
    EXPECT_EQ(response[boost::beast::http::field::allow], "POST");
}

TEST_F(HttpServerTest, BodyOverTheLimitAnswers413WithoutReadingIt) {
    server.config.limits.max_body_bytes = 100;
    start();
    HttpTestClient client(server.port());
    // Declares a large body and sends none of it: the answer must come from the declared length alone.
    client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n");
    auto response = client.read_response();
    ASSERT_TRUE(response);
    expect_error(*response, 413, "payload_too_large");
    EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, ChunkedBodyOverTheLimitAnswers413) {
    server.config.limits.max_body_bytes = 100;
    start();
    HttpTestClient client(server.port());
    const std::string chunk(200, 'x');
    client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nc8\r\n" +
                    chunk + "\r\n0\r\n\r\n");
    auto response = client.read_response();
    ASSERT_TRUE(response);
    expect_error(*response, 413, "payload_too_large");
}

TEST_F(HttpServerTest, BodyWithWrongContentTypeAnswers415) {
    start();
    auto response = test::http_request(server.port(), "POST", "/echo", {{"Content-Type", "text/plain"}}, "{}");
    expect_error(response, 415, "unsupported_media_type");
}

TEST_F(HttpServerTest, JsonWithCharsetIsAccepted) {
    start();
    auto response = test::http_request(server.port(), "POST", "/echo",
                                       {{"Content-Type", "application/json; charset=utf-8"}}, R"({"a":1})");
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_EQ(json_of(response)["body"], R"({"a":1})");
}

TEST_F(HttpServerTest, OversizedHeadAnswers431) {
    start();
    const std::string big(9000, 'a');
    auto response = test::http_request(server.port(), "GET", "/hello", {{"X-Big", big}});
    expect_error(response, 431, "header_too_large");
}

TEST_F(HttpServerTest, MalformedRequestAnswers400) {
    start();
    HttpTestClient client(server.port());
    client.send_raw("GARBAGE\r\n\r\n");
    auto response = client.read_response();
    ASSERT_TRUE(response);
    expect_error(*response, 400, "bad_request");
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    start();
    HttpTestClient client(server.port());
    for (int i = 0; i < 5; ++i) {
        auto response = client.request("GET", "/hello?name=n" + std::to_string(i));
        ASSERT_TRUE(response) << "request " << i;
        EXPECT_EQ(json_of(*response)["hello"], "n" + std::to_string(i));
        EXPECT_TRUE(response->keep_alive());
    }
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
    start();
    HttpTestClient client(server.port());
    client.send_raw(
        "GET /hello?name=first HTTP/1.1\r\nHost: x\r\n\r\n"
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
        "GET /hello?name=third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto first = client.read_response();
    auto second = client.read_response();
    auto third = client.read_response();
    ASSERT_TRUE(first && second && third);
    EXPECT_EQ(json_of(*first)["hello"], "first");
    EXPECT_EQ(json_of(*second)["body"], "{}");
    EXPECT_EQ(json_of(*third)["hello"], "third");
    EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, SlowClientIsCutOffAfterTheHeaderTimeout) {
    server.config.limits.header_timeout = 200ms;
    start();
    HttpTestClient client(server.port());
    client.send_raw("GET /hello HTTP/1.1\r\nHost: x\r\n");  // never finishes the head
    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(client.closed_by_server());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
    server.config.limits.keepalive_timeout = 200ms;
    start();
    HttpTestClient client(server.port());
    ASSERT_TRUE(client.request("GET", "/hello"));
    EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, HeadAnswersHeadersWithoutBody) {
    start();
    HttpTestClient client(server.port());
    client.send_raw("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    auto head = client.read_response(/*after_head_request=*/true);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->result_int(), 200u);
    EXPECT_EQ(head->at(boost::beast::http::field::content_length), "15") << R"(the length of {"hello":"you"})";
    // The GET response parses cleanly right after: the HEAD response carried no body bytes.
    auto get = client.read_response();
    ASSERT_TRUE(get);
    EXPECT_EQ(get->body(), R"({"hello":"you"})");
}

TEST_F(HttpServerTest, SharedBodyIsSentWholeWithItsHeadersAndHeadGivesItsLength) {
    const auto shared = std::make_shared<const std::string>(R"({"cached":")" + std::string(5000, 'x') + R"("})");
    server.router.get("/shared", sync_handler([shared](Request&) {
                          auto response = json_shared_response(200, shared);
                          response.set_header("Cache-Control", "no-store");
                          return response;
                      }));
    start();
    HttpTestClient client(server.port());
    client.send_raw("HEAD /shared HTTP/1.1\r\nHost: x\r\n\r\nGET /shared HTTP/1.1\r\nHost: x\r\n\r\n");
    auto head = client.read_response(/*after_head_request=*/true);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->at(boost::beast::http::field::content_length), std::to_string(shared->size()));
    auto get = client.read_response();
    ASSERT_TRUE(get);
    EXPECT_EQ(get->result_int(), 200u);
    EXPECT_EQ(get->body(), *shared);
    EXPECT_EQ(get->at(boost::beast::http::field::content_type), "application/json");
    EXPECT_EQ(get->at("Cache-Control"), "no-store");
    EXPECT_FALSE(get->at("X-Request-Id").empty());
}

// Larger than the socket buffers of both ends together (Linux's loopback maxima are 4 MiB to send
// and 32 MiB to receive; a client asking for a small receive buffer gets a few KiB): such a response
// cannot be written at once, so the rest waits for the reader under the write timeout.
constexpr std::size_t kLargerThanSocketBuffers = 48 * 1024 * 1024;

TEST_F(HttpServerTest, AResponseLargerThanTheSocketBuffersIsWrittenWholeToAReaderThatKeepsUp) {
    const auto large = std::make_shared<const std::string>(kLargerThanSocketBuffers, 'x');
    server.router.get("/large", sync_handler([large](Request&) { return json_shared_response(200, large); }));
    start();
    HttpTestClient client(server.port(), 20s);
    auto response = client.request("GET", "/large");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body().size(), large->size());
    EXPECT_TRUE(response->body() == *large);
    // The connection stays usable after the long write.
    auto next = client.request("GET", "/hello");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->body(), R"({"hello":"you"})");
}

TEST_F(HttpServerTest, AReaderThatStopsReadingIsCutOffAfterTheWriteTimeout) {
    server.config.limits.write_timeout = 300ms;
    const auto large = std::make_shared<const std::string>(kLargerThanSocketBuffers, 'x');
    server.router.get("/large", sync_handler([large](Request&) { return json_shared_response(200, large); }));
    start();
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket reader(io);
    reader.open(boost::asio::ip::tcp::v4());
    reader.set_option(boost::asio::socket_base::receive_buffer_size(4096));
    reader.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    boost::asio::write(reader, boost::asio::buffer(std::string_view("GET /large HTTP/1.1\r\nHost: x\r\n\r\n")));
    // Not reading: the server's write stalls, and past the write timeout the server lets go.
    EXPECT_TRUE(test::wait_until([&] { return server.server_->open_connections() == 0; }, 10s));
    // What was sent before is still there to read, then the end: not the whole body.
    std::size_t received = 0;
    std::array<char, 64 * 1024> chunk;
    boost::system::error_code ec;
    while (!ec) received += reader.read_some(boost::asio::buffer(chunk), ec);
    EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) << ec.message();
    EXPECT_LT(received, large->size());
}

TEST_F(HttpServerTest, ExpectContinueGetsAnInterimResponse) {
    start();
    HttpTestClient client(server.port());
    client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
    auto interim = client.read_response();
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->result_int(), 100u);
    client.send_raw("{}");
    auto response = client.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 200u);
}

TEST_F(HttpServerTest, IncomingRequestIdIsHonouredAndReturned) {
    start();
    auto response = test::http_request(server.port(), "POST", "/echo",
                                       {{"X-Request-Id", "abc-123"}, {"Content-Type", "application/json"}}, "{}");
    EXPECT_EQ(response["X-Request-Id"], "abc-123");
    EXPECT_EQ(json_of(response)["id"], "abc-123");
}

TEST_F(HttpServerTest, MissingOrMalformedRequestIdIsReplacedByAFreshOne) {
    start();
    auto first = test::http_request(server.port(), "GET", "/hello");
    auto second = test::http_request(server.port(), "GET", "/hello", {{"X-Request-Id", "bad id with spaces"}});
    EXPECT_FALSE(first["X-Request-Id"].empty());
    EXPECT_FALSE(second["X-Request-Id"].empty());
    EXPECT_NE(first["X-Request-Id"], second["X-Request-Id"]);
    EXPECT_NE(second["X-Request-Id"], "bad id with spaces");
}

TEST_F(HttpServerTest, FreshRequestIdsAreTheProcessPrefixAndACounterOfAtLeastSixHexDigits) {
    start();
    const std::string first(test::http_request(server.port(), "GET", "/hello")["X-Request-Id"]);
    const std::string second(test::http_request(server.port(), "GET", "/hello")["X-Request-Id"]);
    // Eight hex digits, a dash, then at least six (not std::regex: GCC 12 with sanitizers warns
    // inside <regex>).
    const auto has_shape = [](const std::string& id) {
        const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
        return id.size() >= 15 && id[8] == '-' && std::all_of(id.begin(), id.begin() + 8, hex) &&
               std::all_of(id.begin() + 9, id.end(), hex);
    };
    ASSERT_TRUE(has_shape(first)) << first;
    ASSERT_TRUE(has_shape(second)) << second;
    EXPECT_EQ(first.substr(0, 9), second.substr(0, 9)) << "one prefix per process";
    EXPECT_EQ(std::stoull(second.substr(9), nullptr, 16), std::stoull(first.substr(9), nullptr, 16) + 1);
}

TEST_F(HttpServerTest, HandlerThatThrowsAnswers500WithRequestId) {
    start();
    auto response = test::http_request(server.port(), "GET", "/throws");
    expect_error(response, 500, "internal_error");
    EXPECT_NE(json_of(response)["error"]["message"].get<std::string>().find(std::string(response["X-Request-Id"])),
              std::string::npos);
}

TEST_F(HttpServerTest, MetricsCountWhatWasServed) {
    start();
    for (int i = 0; i < 3; ++i) test::http_request(server.port(), "GET", "/hello");
    test::http_request(server.port(), "GET", "/nope");
    // The earlier connections were closed by the client; wait until the server has seen it.
    ASSERT_TRUE(test::wait_until([&] { return server.server_->open_connections() == 0; }));
    auto response = test::http_request(server.port(), "GET", "/metrics");
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_EQ(response[boost::beast::http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
    const std::string& text = response.body();
    EXPECT_NE(text.find(R"(http_requests_total{route="/hello",method="GET",status="200"} 3)"), std::string::npos) << text;
    EXPECT_NE(text.find(R"(http_requests_total{route="not_found",method="GET",status="404"} 1)"), std::string::npos);
    EXPECT_NE(text.find(R"(http_request_duration_seconds_count{route="/hello"} 3)"), std::string::npos);
    EXPECT_NE(text.find("http_open_connections 1"), std::string::npos) << "the /metrics connection itself";
}

TEST_F(HttpServerTest, HealthzIsAlwaysOkAndReadyzReportsReasons) {
    start();
    auto health = test::http_request(server.port(), "GET", "/healthz");
    EXPECT_EQ(health.result_int(), 200u);
    EXPECT_EQ(json_of(health)["status"], "ok");

    server.readiness.set("store", false, "not open");
    auto not_ready = test::http_request(server.port(), "GET", "/readyz");
    expect_error(not_ready, 503, "not_ready");
    EXPECT_NE(json_of(not_ready)["error"]["message"].get<std::string>().find("store: not open"), std::string::npos);

    server.readiness.set("store", true);
    auto ready = test::http_request(server.port(), "GET", "/readyz");
    EXPECT_EQ(ready.result_int(), 200u);
    EXPECT_EQ(json_of(ready)["checks"]["store"]["ready"], true);
}

TEST_F(HttpServerTest, ConnectionsOverTheLimitAreRefusedWith503) {
    server.config.limits.max_connections = 1;
    start();
    HttpTestClient first(server.port());
    ASSERT_TRUE(first.request("GET", "/hello"));  // holds the only slot
    HttpTestClient second(server.port());
    auto refused = second.read_response();
    ASSERT_TRUE(refused);
    expect_error(*refused, 503, "too_many_connections");
}

TEST_F(HttpServerTest, ShutdownLetsAnInFlightRequestFinish) {
    start();
    HttpTestClient client(server.port());
    client.send_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(test::wait_until([&] { return slow_started.load(); }));
    auto done = std::async(std::launch::async, [&] { return server.shutdown_and_wait(5s, 10s); });
    auto response = client.read_response();
    ASSERT_TRUE(response) << "the in-flight request must be answered";
    EXPECT_EQ(response->result_int(), 200u);
    EXPECT_FALSE(response->keep_alive()) << "a draining server closes after the response";
    EXPECT_TRUE(done.get());
    EXPECT_THROW(HttpTestClient late(server.port()), boost::system::system_error) << "no longer accepting";
}

TEST_F(HttpServerTest, ShutdownClosesIdleConnectionsAtOnce) {
    start();
    HttpTestClient idle(server.port());
    ASSERT_TRUE(idle.request("GET", "/hello"));
    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(server.shutdown_and_wait(5s, 10s));
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    EXPECT_TRUE(idle.closed_by_server());
}

class StaticRouteTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        base_ = std::filesystem::temp_directory_path() / ("calrt-static-" + std::to_string(rd()));
        std::filesystem::create_directories(base_ / "web");
        std::ofstream(base_ / "web" / "index.html") << "<h1>chat</h1>";
        std::ofstream(base_ / "secret.txt") << "secret";
        files_ = std::make_unique<StaticFiles>(base_ / "web");
        server.router.fallback_get(sync_handler([this](Request& r) { return files_->serve(r); }));
        server.start();
    }
    void TearDown() override { std::filesystem::remove_all(base_); }

    std::filesystem::path base_;
    std::unique_ptr<StaticFiles> files_;
    RunningServer server;
};

TEST_F(StaticRouteTest, RootServesTheChatPage) {
    auto response = test::http_request(server.port(), "GET", "/");
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_EQ(response[boost::beast::http::field::content_type], "text/html; charset=utf-8");
    EXPECT_EQ(response.body(), "<h1>chat</h1>");
}

TEST_F(StaticRouteTest, PathTraversalIsRefusedEncodedOrNot) {
    for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2E%2E%2Fsecret.txt",
                               "/web/../../secret.txt"}) {
        auto response = test::http_request(server.port(), "GET", target);
        EXPECT_EQ(response.result_int(), 404u) << target;
        EXPECT_EQ(response.body().find("secret\""), std::string::npos);
        EXPECT_NE(response.body(), "secret") << target;
    }
}

}  // namespace
}  // namespace calrt::server
