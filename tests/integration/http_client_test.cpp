// The HTTP client over real sockets against the in-process server: round trips, keep-alive after
// the server drops an idle connection, timeouts, limits, invalid input and concurrency.
#include "calrt/net/http_client.hpp"
#include "calrt/server/responses.hpp"
#include "support/io_threads.hpp"
#include "support/running_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <deque>
#include <future>

namespace calrt::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using server::Request;
using server::Response;

class HttpClientTest : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto echo = server::sync_handler([](Request& request) {
            nlohmann::json headers = nlohmann::json::object();
            for (const auto& [name, value] : request.headers) headers[name] = value;
            nlohmann::json query = nlohmann::json::object();
            for (const auto& [key, value] : request.query) query[key] = value;
            return server::json_response(200, {{"method", request.method},
                                               {"headers", headers},
                                               {"query", query},
                                               {"body", request.body}});
        });
        server.router.get("/echo", echo);
        server.router.post("/echo", echo);
        server.router.get("/large", server::sync_handler([](Request&) {
                              Response response;
                              response.content_type = "text/plain";
                              response.body = std::string(2000, 'x');
                              return response;
                          }));
        server.router.get("/hang", [](Request&) -> asio::awaitable<Response> {
            asio::steady_timer timer(co_await asio::this_coro::executor, 30s);
            co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
            co_return server::json_response(200, {{"late", true}});
        });
    }

    std::string url(std::string_view path_and_query) const {
        return "http://127.0.0.1:" + std::to_string(server.port()) + std::string(path_and_query);
    }

    Result<HttpResponse> send(HttpClient& client, HttpRequest request) {
        return client_threads.run(client.send(std::move(request)));
    }

    Result<HttpResponse> get(HttpClient& client, std::string_view path_and_query) {
        return send(client, {.url = url(path_and_query)});
    }

    HttpClientOptions fast_options() const {
        HttpClientOptions options;
        options.connect_timeout = 2s;
        options.request_timeout = 2s;
        return options;
    }

    test::RunningServer server;
    test::IoThreads client_threads;
};

nlohmann::json json_of(const HttpResponse& response) {
    return nlohmann::json::parse(response.body);
}

// A port on 127.0.0.1 that nothing listens on: bound once, then released.
std::uint16_t closed_port() {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

TEST_F(HttpClientTest, GetReturnsStatusHeadersAndBody) {
    server.start();
    HttpClient client(client_threads.io.get_executor(), fast_options());

    auto response = get(client, "/echo?name=Ada%20Lovelace");

    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200u);
    EXPECT_EQ(response->header("CONTENT-TYPE"), "application/json");
    const auto body = json_of(*response);
    EXPECT_EQ(body["method"], "GET");
    EXPECT_EQ(body["query"]["name"], "Ada Lovelace");
}

TEST_F(HttpClientTest, PostSendsBodyHeadersHostUserAgentAndContentLength) {
    server.start();
    auto options = fast_options();
    options.user_agent = "calrt-test/1";
    HttpClient client(client_threads.io.get_executor(), options);

    auto response = send(client, {.method = "POST",
                                  .url = url("/echo"),
                                  .headers = {{"Content-Type", "application/json"},
                                              {"Authorization", "Bearer secret-token"}},
                                  .body = R"({"x":1})"});

    ASSERT_TRUE(response) << response.error().message;
    const auto body = json_of(*response);
    EXPECT_EQ(body["method"], "POST");
    EXPECT_EQ(body["body"], R"({"x":1})");
    EXPECT_EQ(body["headers"]["Content-Length"], "7");
    EXPECT_EQ(body["headers"]["Authorization"], "Bearer secret-token");
    EXPECT_EQ(body["headers"]["User-Agent"], "calrt-test/1");
    EXPECT_EQ(body["headers"]["Host"], "127.0.0.1:" + std::to_string(server.port()));
}

TEST_F(HttpClientTest, ErrorStatusIsAResponseNotAFailure) {
    server.start();
    HttpClient client(client_threads.io.get_executor(), fast_options());

    auto response = get(client, "/no-such-route");

    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 404u);
    EXPECT_EQ(json_of(*response)["error"]["code"], "not_found");
}

TEST_F(HttpClientTest, ReplacesPooledConnectionTheServerClosedWhileIdle) {
    server.config.limits.keepalive_timeout = 50ms;
    server.start();
    HttpClient client(client_threads.io.get_executor(), fast_options());
    ASSERT_TRUE(get(client, "/echo"));
    ASSERT_TRUE(test::wait_until([&] { return server.server_->open_connections() == 0; }));

    auto response = get(client, "/echo");

    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200u);
}

TEST_F(HttpClientTest, RequestTimeoutEndsARequestTheServerNeverAnswers) {
    server.start();
    auto options = fast_options();
    options.request_timeout = 100ms;
    HttpClient client(client_threads.io.get_executor(), options);
    const auto started = std::chrono::steady_clock::now();

    auto response = get(client, "/hang");

    const auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "timeout");
    EXPECT_EQ(response.error().kind, ErrorKind::upstream_timeout);
    EXPECT_GE(elapsed, 100ms);
    EXPECT_LT(elapsed, 1s);
}

TEST_F(HttpClientTest, PerRequestTimeoutOverridesTheClientDefault) {
    server.start();
    HttpClient client(client_threads.io.get_executor(), fast_options());  // 2 s by default
    const auto started = std::chrono::steady_clock::now();

    auto response = send(client, {.url = url("/hang"), .timeout = 100ms});

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "timeout");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

TEST_F(HttpClientTest, ErrorMessageNamesThePeerButNeverTheRequestHeaders) {
    server.start();
    HttpClient client(client_threads.io.get_executor(), fast_options());

    auto response = send(client, {.url = url("/hang"),
                                  .headers = {{"Authorization", "Bearer secret-token"}},
                                  .timeout = 50ms});

    ASSERT_FALSE(response);
    EXPECT_NE(response.error().message.find("127.0.0.1:" + std::to_string(server.port())),
              std::string::npos)
        << response.error().message;
    EXPECT_EQ(response.error().message.find("secret-token"), std::string::npos)
        << response.error().message;
}

// A listener whose accept queue is full, so that the kernel drops further connection attempts
// (SYNs) instead of answering them: a connect to it hangs until the client gives up.
class FullListener {
  public:
    FullListener() : acceptor_(io_) {
        acceptor_.open(asio::ip::tcp::v4());
        acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
        acceptor_.listen(0);
        // Linux queues backlog + 1 connections; fill the queue until an attempt goes unanswered.
        for (int i = 0; i < 8; ++i) {
            auto& filler = fillers_.emplace_back(io_);
            bool connected = false;
            filler.async_connect(acceptor_.local_endpoint(),
                                 [&connected](boost::system::error_code ec) { connected = !ec; });
            io_.run_for(50ms);
            io_.restart();
            if (!connected) break;
        }
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  private:
    asio::io_context io_;
    asio::ip::tcp::acceptor acceptor_;
    std::deque<asio::ip::tcp::socket> fillers_;
};

TEST_F(HttpClientTest, ConnectTimeoutEndsAConnectionAttemptNobodyAnswers) {
    FullListener listener;
    auto options = fast_options();
    options.connect_timeout = 100ms;
    HttpClient client(client_threads.io.get_executor(), options);
    const auto started = std::chrono::steady_clock::now();

    auto response =
        send(client, {.url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/"});

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "connect_failed");
    EXPECT_EQ(response.error().kind, ErrorKind::upstream_timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

TEST_F(HttpClientTest, RefusedConnectionIsConnectFailed) {
    HttpClient client(client_threads.io.get_executor(), fast_options());
    const std::uint16_t port = closed_port();

    auto response = send(client, {.url = "http://127.0.0.1:" + std::to_string(port) + "/"});

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "connect_failed");
    EXPECT_NE(response.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
        << response.error().message;
}

TEST_F(HttpClientTest, ResponseOverTheSizeLimitIsBadResponse) {
    server.start();
    auto options = fast_options();
    options.max_response_bytes = 1000;
    HttpClient client(client_threads.io.get_executor(), options);

    auto response = get(client, "/large");

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "bad_response");
    EXPECT_NE(response.error().message.find("1000"), std::string::npos) << response.error().message;
}

TEST_F(HttpClientTest, UnsupportedSchemeIsInvalidUrl) {
    HttpClient client(client_threads.io.get_executor(), fast_options());

    auto response = send(client, {.url = "ftp://127.0.0.1/file"});

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "invalid_url");
}

TEST_F(HttpClientTest, RelativeOrMalformedUrlIsInvalidUrl) {
    HttpClient client(client_threads.io.get_executor(), fast_options());

    for (const std::string bad : {"/relative/path", "http://", "not a url", "http://host:99999/"}) {
        auto response = send(client, {.url = bad});
        ASSERT_FALSE(response) << bad;
        EXPECT_EQ(response.error().code, "invalid_url") << bad;
    }
}

TEST_F(HttpClientTest, HeaderValueWithLineBreakIsRefusedBeforeSending) {
    server.start();
    HttpClient client(client_threads.io.get_executor(), fast_options());

    auto response =
        send(client, {.url = url("/echo"), .headers = {{"X-Note", "a\r\nX-Injected: 1"}}});

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "invalid_request");
    EXPECT_EQ(response.error().message.find("X-Injected"), std::string::npos);
}

TEST_F(HttpClientTest, ConcurrentSendsFromManyStrandsAllSucceed) {
    server.start();
    test::IoThreads callers(4);
    // A client thread may still be unwinding an exchange after handing its result to a caller's
    // strand (it holds a copy of that strand's executor): the client's threads must stop before
    // the callers' io_context is destroyed (ASan saw a use after free under load).
    struct StopFirst {
        test::IoThreads& threads;
        ~StopFirst() { threads.stop(); }
    } stop_client_threads_first{client_threads};
    HttpClient client(client_threads.io.get_executor(), fast_options());
    constexpr int kRequests = 50;

    std::vector<std::future<Result<HttpResponse>>> results;
    for (int i = 0; i < kRequests; ++i) {
        HttpRequest request{.url = url("/echo?n=" + std::to_string(i))};
        results.push_back(asio::co_spawn(asio::make_strand(callers.io),
                                         client.send(std::move(request)), asio::use_future));
    }

    for (int i = 0; i < kRequests; ++i) {
        auto response = results[static_cast<std::size_t>(i)].get();
        ASSERT_TRUE(response) << "request " << i << ": " << response.error().message;
        EXPECT_EQ(json_of(*response)["query"]["n"], std::to_string(i));
    }
}

}  // namespace
}  // namespace calrt::net
