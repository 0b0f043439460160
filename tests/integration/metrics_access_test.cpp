// Who may read GET /metrics (review item N13), over a real socket: loopback by default, a client
// outside METRICS_ALLOW (as TRUSTED_PROXIES reveal it) refused, METRICS_TOKEN opening it.
#include "calrt/server/ops_routes.hpp"
#include "support/http_test_client.hpp"
#include "support/running_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace calrt::server {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

// What a proxy on this machine sends for a client elsewhere (TEST-NET-3, RFC 5737).
const Headers kFromAfar = {{"X-Forwarded-For", "203.0.113.7"}};

class MetricsAccessTest : public ::testing::Test {
protected:
    void start(MetricsAccess access = {}) {
        add_ops_routes(server.router, server.readiness, server.metrics, std::move(access));
        server.start();
    }
    // The test's connections come from 127.0.0.1: trusting it as a proxy lets X-Forwarded-For
    // name the client, as behind nginx.
    void behind_a_local_proxy() { server.config.trusted_proxies = parse_ip_networks("127.0.0.1").value(); }

    test::HttpResponse get_metrics(Headers headers = {}) {
        return test::http_request(server.port(), "GET", "/metrics", std::move(headers));
    }

    test::RunningServer server;
};

std::string error_code(const test::HttpResponse& response) {
    return nlohmann::json::parse(response.body())["error"]["code"].get<std::string>();
}

TEST_F(MetricsAccessTest, LoopbackClientReadsMetricsByDefault) {
    start();
    const auto response = get_metrics();
    EXPECT_EQ(response.result_int(), 200u) << response.body();
    EXPECT_EQ(response[boost::beast::http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
}

TEST_F(MetricsAccessTest, ForwardedForFromAnUntrustedPeerChangesNothing) {
    start();  // no TRUSTED_PROXIES: the peer, 127.0.0.1, is the client whatever the header says
    EXPECT_EQ(get_metrics(kFromAfar).result_int(), 200u);
}

TEST_F(MetricsAccessTest, ClientOutsideMetricsAllowBehindATrustedProxyGets403) {
    behind_a_local_proxy();
    start();
    const auto response = get_metrics(kFromAfar);
    EXPECT_EQ(response.result_int(), 403u) << response.body();
    EXPECT_EQ(error_code(response), "metrics_forbidden");
    EXPECT_EQ(response.body().find("http_requests_total"), std::string::npos);
}

TEST_F(MetricsAccessTest, MetricsAllowWithoutLoopbackRefusesLoopback) {
    MetricsAccess access;
    access.allow = parse_ip_networks("10.0.0.0/8").value();
    start(access);
    EXPECT_EQ(get_metrics().result_int(), 403u);
}

TEST_F(MetricsAccessTest, ClientInMetricsAllowBehindATrustedProxyReadsMetrics) {
    behind_a_local_proxy();
    MetricsAccess access;
    access.allow = parse_ip_networks("203.0.113.0/24").value();
    start(access);
    EXPECT_EQ(get_metrics(kFromAfar).result_int(), 200u);
}

TEST_F(MetricsAccessTest, TokenOpensMetricsToAClientOutsideMetricsAllow) {
    behind_a_local_proxy();
    MetricsAccess access;
    access.token = Secret("scrape-s3cret");
    start(access);
    Headers headers = kFromAfar;
    headers.emplace_back("Authorization", "Bearer scrape-s3cret");
    const auto response = get_metrics(headers);
    EXPECT_EQ(response.result_int(), 200u) << response.body();
    EXPECT_EQ(response[boost::beast::http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
}

TEST_F(MetricsAccessTest, WrongOrMissingTokenGets401WithABearerChallenge) {
    behind_a_local_proxy();
    MetricsAccess access;
    access.token = Secret("scrape-s3cret");
    start(access);
    Headers wrong = kFromAfar;
    wrong.emplace_back("Authorization", "Bearer scrape-s3creT");

    const auto with_wrong_token = get_metrics(wrong);
    const auto without_token = get_metrics(kFromAfar);

    EXPECT_EQ(with_wrong_token.result_int(), 401u) << with_wrong_token.body();
    EXPECT_EQ(with_wrong_token[boost::beast::http::field::www_authenticate], "Bearer");
    EXPECT_EQ(error_code(with_wrong_token), "metrics_token_invalid");
    EXPECT_EQ(with_wrong_token.body().find("s3cre"), std::string::npos) << "never echoes a token";
    EXPECT_EQ(without_token.result_int(), 401u) << without_token.body();
    EXPECT_EQ(without_token[boost::beast::http::field::www_authenticate], "Bearer");
    EXPECT_EQ(error_code(without_token), "metrics_token_required");
}

TEST_F(MetricsAccessTest, LoopbackNeedsNoTokenWhenOneIsConfigured) {
    MetricsAccess access;
    access.token = Secret("scrape-s3cret");
    start(access);
    EXPECT_EQ(get_metrics().result_int(), 200u);
}

}  // namespace
}  // namespace calrt::server
