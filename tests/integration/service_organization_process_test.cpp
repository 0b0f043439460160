// The service binary serving an organization (the sandbox organization: SANDBOX_ORGANIZATION):
// the scope it detects and logs, the directory, the host pages and the relay's host scope; and a
// single-host sandbox that stays one host.
#include "support/child_process.hpp"
#include "support/http_test_client.hpp"
#include "support/running_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <random>

namespace calrt {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class ServiceOrganizationProcess : public ::testing::Test {
  protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = std::filesystem::temp_directory_path() / ("calrt-org-" + std::to_string(rd()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // Starts the service; returns its port, or 0.
    std::uint16_t start(bool organization) {
        std::map<std::string, std::string> env{{"PORT", "0"},
                                               {"LOG_FORMAT", "json"},
                                               {"DATA_DIR", (dir_ / "data").string()},
                                               {"WEB_ROOT", std::string(CALRT_SOURCE_DIR) + "/web"},
                                               {"SANDBOX_ORGANIZATION", organization ? "true" : "false"}};
        child_ = std::make_unique<test::ChildProcess>(CALRT_BINARY, std::vector<std::string>{}, env, dir_.string());
        const auto scope = child_->wait_for_line("calendly scope");
        if (!scope) return 0;
        scope_ = json::parse(*scope);
        const auto listening = child_->wait_for_line("listening");
        if (!listening) return 0;
        return json::parse(*listening)["port"].get<std::uint16_t>();
    }

    static json get_json(std::uint16_t port, const std::string& target) {
        return json::parse(test::http_request(port, "GET", target).body(), nullptr, false);
    }

    static unsigned upgrade_status(std::uint16_t port, const std::string& target) {
        test::HttpTestClient client(port);
        const auto answer = client.request("GET", target,
                                           {{"Connection", "Upgrade"},
                                            {"Upgrade", "websocket"},
                                            {"Sec-WebSocket-Version", "13"},
                                            {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
        return answer ? answer->result_int() : 0;
    }

    std::filesystem::path dir_;
    std::unique_ptr<test::ChildProcess> child_;
    json scope_;
};

TEST_F(ServiceOrganizationProcess, SandboxOrganizationServesEveryHostAndTheirPages) {
    const auto port = start(true);
    ASSERT_NE(port, 0) << child_->drain_stderr();
    EXPECT_EQ(scope_["scope"], "organization") << scope_.dump();
    EXPECT_NE(std::string(scope_["why"]).find("detected"), std::string::npos) << scope_.dump();

    json hosts;
    ASSERT_TRUE(test::wait_until([&] {
        hosts = get_json(port, "/api/calendly?action=hosts");
        return hosts.contains("hosts") && hosts["hosts"].size() == 4;
    })) << hosts.dump();
    EXPECT_EQ(hosts["team_event_types"].size(), 2u);

    const auto page = test::http_request(port, "GET", "/hosts/dana-whitfield");
    EXPECT_EQ(page.result_int(), 200u);
    EXPECT_NE(page.body().find("<title>Book a meeting"), std::string::npos);
    EXPECT_EQ(page[boost::beast::http::field::content_type], "text/html; charset=utf-8");
    // The page's scripts load from the root, whatever its path.
    EXPECT_NE(page.body().find("src=\"/app.js\""), std::string::npos);
    const auto missing = test::http_request(port, "GET", "/hosts/nobody-here");
    EXPECT_EQ(missing.result_int(), 404u);
    EXPECT_NE(missing.body().find("No such host"), std::string::npos) << missing.body();

    // The relay: a known host's conversation opens, an unknown one is refused before it does.
    EXPECT_EQ(upgrade_status(port, "/api/realtime?host=dana-whitfield"), 101u);
    EXPECT_EQ(upgrade_status(port, "/api/realtime?host=nobody-here"), 404u);
    EXPECT_EQ(upgrade_status(port, "/api/realtime?team=sales"), 101u);
    EXPECT_EQ(upgrade_status(port, "/api/realtime?team=nobody"), 404u);

    child_->signal(SIGTERM);
    EXPECT_EQ(child_->wait_exit(), 0);
}

TEST_F(ServiceOrganizationProcess, ASingleHostSandboxStaysOneHost) {
    const auto port = start(false);
    ASSERT_NE(port, 0) << child_->drain_stderr();
    EXPECT_EQ(scope_["scope"], "user") << scope_.dump();
    EXPECT_EQ(get_json(port, "/api/calendly?action=hosts")["hosts"].size(), 1u);
    EXPECT_EQ(test::http_request(port, "GET", "/hosts/alex-rivera").result_int(), 404u);
    // The relay ignores a host it has no directory for: the one host is every host.
    EXPECT_EQ(upgrade_status(port, "/api/realtime?host=nobody-here"), 101u);
    child_->signal(SIGTERM);
    EXPECT_EQ(child_->wait_exit(), 0);
}

}  // namespace
}  // namespace calrt
