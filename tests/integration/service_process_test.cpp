// The service binary as a user runs it: start-up errors, serving, structured logs, signals.
#include "calrt/core/config_loader.hpp"
#include "support/child_process.hpp"
#include "support/http_test_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <random>
#include <unistd.h>

namespace calrt {
namespace {

using namespace std::chrono_literals;

class ServiceProcess : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = std::filesystem::temp_directory_path() / ("calrt-proc-" + std::to_string(rd()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::map<std::string, std::string> env(std::map<std::string, std::string> extra = {}) {
        std::map<std::string, std::string> e{{"PORT", "0"},
                                             {"DATA_DIR", (dir_ / "data").string()},
                                             {"WEB_ROOT", std::string(CALRT_SOURCE_DIR) + "/web"}};
        for (auto& [k, v] : extra) e[k] = v;
        return e;
    }

    static std::uint16_t port_from(const std::string& line) {
        const auto at = line.find("port");
        const auto digits = line.find_first_of("0123456789", at);
        return static_cast<std::uint16_t>(std::stoi(line.substr(digits)));
    }

    std::filesystem::path dir_;
};

TEST_F(ServiceProcess, BadPortStopsStartUpWithOneLineNamingIt) {
    test::ChildProcess child(CALRT_BINARY, {}, env({{"PORT", "abc"}}), dir_.string());
    EXPECT_EQ(child.wait_exit(), 2);
    const std::string output = child.drain_stderr();
    EXPECT_NE(output.find("PORT"), std::string::npos) << output;
    EXPECT_NE(output.find("abc"), std::string::npos) << output;
    EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;
}

TEST_F(ServiceProcess, MalformedUrlStopsStartUpNamingTheVariable) {
    test::ChildProcess child(CALRT_BINARY, {}, env({{"CALENDLY_FALLBACK_URL", "calendly dot com"}}), dir_.string());
    EXPECT_EQ(child.wait_exit(), 2);
    EXPECT_NE(child.drain_stderr().find("CALENDLY_FALLBACK_URL"), std::string::npos);
}

TEST_F(ServiceProcess, DataDirNotWritableStopsStartUpNamingTheUidThatMustOwnIt) {
    // A directory bind-mounted into the container but owned by root, as issue 13 found it. Root
    // may write anywhere, so as root the service runs as `nobody` through setpriv.
    std::filesystem::create_directories(dir_ / "data");
    std::string program = CALRT_BINARY;
    std::vector<std::string> args;
    std::string uid = std::to_string(::geteuid());
    if (::geteuid() == 0) {
        program = "/usr/bin/setpriv";
        args = {"--reuid=65534", "--regid=65534", "--clear-groups", CALRT_BINARY};
        uid = "65534";
    } else {
        std::filesystem::permissions(dir_ / "data", std::filesystem::perms::owner_read |
                                                        std::filesystem::perms::owner_exec);
    }
    test::ChildProcess child(program, args, env(), dir_.string());
    EXPECT_EQ(child.wait_exit(), 1);
    const std::string output = child.drain_stderr();
    EXPECT_NE(output.find("not writable by uid " + uid), std::string::npos) << output;
    EXPECT_NE(output.find("chown " + uid), std::string::npos) << output;
    std::filesystem::permissions(dir_ / "data", std::filesystem::perms::owner_all);
}

TEST_F(ServiceProcess, UnknownFlagIsAUsageError) {
    test::ChildProcess child(CALRT_BINARY, {"--frobnicate"}, env(), dir_.string());
    EXPECT_EQ(child.wait_exit(), 2);
    EXPECT_NE(child.drain_stderr().find("--frobnicate"), std::string::npos);
}

TEST_F(ServiceProcess, ServesHealthzAndExitsZeroOnSigterm) {
    test::ChildProcess child(CALRT_BINARY, {"--host", "127.0.0.1"}, env(), dir_.string());
    auto line = child.wait_for_line("listening");
    ASSERT_TRUE(line) << child.drain_stderr();
    const auto port = port_from(*line);
    auto response = test::http_request(port, "GET", "/healthz");
    EXPECT_EQ(response.result_int(), 200u);
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait_exit(), 0);
}

TEST_F(ServiceProcess, JsonLogFormatWritesOneObjectPerLineWithoutSecrets) {
    test::ChildProcess child(CALRT_BINARY, {},
                             env({{"LOG_FORMAT", "json"}, {"LOG_LEVEL", "debug"},
                                  {"OPENAI_API_KEY", "sk-must-not-leak"}, {"API_ADMIN_TOKEN", "admin-must-not-leak"}}),
                             dir_.string());
    auto line = child.wait_for_line("listening");
    ASSERT_TRUE(line);
    auto listening = nlohmann::json::parse(*line);
    EXPECT_EQ(listening["msg"], "listening");
    EXPECT_EQ(listening["level"], "info");
    const auto port = listening["port"].get<std::uint16_t>();
    test::http_request(port, "GET", "/healthz?email=someone%40example.com&action=x", {{"X-Request-Id", "req-42"}});
    auto access = child.wait_for_line("req-42");
    ASSERT_TRUE(access);
    auto entry = nlohmann::json::parse(*access);
    EXPECT_EQ(entry["status"], 200);
    EXPECT_EQ(entry["method"], "GET");
    EXPECT_TRUE(entry.contains("us"));
    EXPECT_EQ(access->find("someone"), std::string::npos) << "query values are redacted: " << *access;
    child.signal(SIGINT);
    EXPECT_EQ(child.wait_exit(), 0);
    const std::string all = child.drain_stderr();
    EXPECT_EQ(all.find("must-not-leak"), std::string::npos) << all;
}

TEST_F(ServiceProcess, HelpListsEveryVariable) {
    test::ChildProcess child(CALRT_BINARY, {"--help"}, env(), dir_.string());
    EXPECT_EQ(child.wait_exit(), 0);
    const std::string help = child.drain_stderr();
    for (const auto& spec : setting_specs()) {
        EXPECT_NE(help.find(std::string(spec.name)), std::string::npos) << spec.name;
    }
    EXPECT_NE(help.find("NEXT_PUBLIC_CALENDLY_URL"), std::string::npos);
}

}  // namespace
}  // namespace calrt
