// Who may read GET /metrics (review item N13): the decision, and its settings.
#include "calrt/server/metrics_access.hpp"

#include "calrt/core/config_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace calrt::server {
namespace {

Request from(std::string address, std::string authorization = {}) {
    Request request;
    request.remote_address = std::move(address);
    if (!authorization.empty()) request.headers.emplace_back("Authorization", std::move(authorization));
    return request;
}

TEST(MetricsAccess, DefaultAdmitsIpv4AndIpv6LoopbackOnly) {
    const MetricsAccess access;
    EXPECT_TRUE(check_metrics_access(from("127.0.0.1"), access));
    EXPECT_TRUE(check_metrics_access(from("127.8.9.10"), access));
    EXPECT_TRUE(check_metrics_access(from("::1"), access));
    EXPECT_TRUE(check_metrics_access(from("::ffff:127.0.0.1"), access)) << "a dual-stack socket's IPv4 peer";
    const auto refused = check_metrics_access(from("192.0.2.1"), access);
    ASSERT_FALSE(refused);
    EXPECT_EQ(http_status_of(refused.error().kind), 403u);
    EXPECT_EQ(refused.error().code, "metrics_forbidden");
    EXPECT_FALSE(check_metrics_access(from("2001:db8::1"), access));
    EXPECT_FALSE(check_metrics_access(from("not-an-address"), access));
}

TEST(MetricsAccess, ConfiguredTokenAnswers401WhenMissingOrWrongAndNeverEchoesIt) {
    MetricsAccess access;
    access.token = Secret("scrape-s3cret");
    EXPECT_TRUE(check_metrics_access(from("192.0.2.1", "Bearer scrape-s3cret"), access));
    EXPECT_TRUE(check_metrics_access(from("192.0.2.1", "bearer scrape-s3cret"), access));
    const auto missing = check_metrics_access(from("192.0.2.1"), access);
    const auto wrong = check_metrics_access(from("192.0.2.1", "Bearer scrape-s3creT"), access);
    ASSERT_FALSE(missing);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(http_status_of(missing.error().kind), 401u);
    EXPECT_EQ(missing.error().code, "metrics_token_required");
    EXPECT_EQ(http_status_of(wrong.error().kind), 401u);
    EXPECT_EQ(wrong.error().code, "metrics_token_invalid");
    EXPECT_EQ(wrong.error().message.find("s3cre"), std::string::npos);
}

TEST(MetricsAccess, EmptyAllowListLeavesOnlyTheToken) {
    MetricsAccess access;
    access.allow.clear();
    EXPECT_FALSE(check_metrics_access(from("127.0.0.1"), access));
    access.token = Secret("t");
    EXPECT_TRUE(check_metrics_access(from("127.0.0.1", "Bearer t"), access));
}

TEST(MetricsAccessSettings, DefaultToLoopbackAndTakeCidrsAndASecretToken) {
    ConfigSources sources;
    sources.working_dir = std::filesystem::temp_directory_path() / "calrt-metrics-access-no-such-dir";
    const auto defaults = load_config(sources);
    ASSERT_TRUE(defaults) << defaults.error().message;
    EXPECT_NE(describe_config(*defaults).find("METRICS_ALLOW=127.0.0.0/8,::1"), std::string::npos);
    EXPECT_TRUE(defaults->metrics_access.token.empty());

    sources.environment = {{"METRICS_ALLOW", "10.0.0.0/8, 2001:db8::/32"}, {"METRICS_TOKEN", "scrape-s3cret"}};
    const auto configured = load_config(sources);
    ASSERT_TRUE(configured) << configured.error().message;
    ASSERT_EQ(configured->metrics_access.allow.size(), 2u);
    EXPECT_EQ(configured->metrics_access.allow[1].to_string(), "2001:db8::/32");
    EXPECT_EQ(configured->metrics_access.token.reveal(), "scrape-s3cret");
    const std::string description = describe_config(*configured);
    EXPECT_NE(description.find("METRICS_TOKEN=[redacted]"), std::string::npos) << description;
    EXPECT_EQ(description.find("scrape-s3cret"), std::string::npos);

    sources.environment = {{"METRICS_ALLOW", "10.0.0.0/33"}};
    EXPECT_FALSE(load_config(sources));
}

}  // namespace
}  // namespace calrt::server
