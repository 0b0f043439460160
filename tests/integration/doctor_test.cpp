// `calendly-realtime doctor` as a host runs it: the real binary, configured with credentials for a
// fake Calendly and a fake OpenAI (REST models endpoint and Realtime WebSocket) on loopback ports,
// checked by its exit status and its report lines, and never printing a secret.
#include "support/child_process.hpp"
#include "support/http_test_client.hpp"
#include "support/io_threads.hpp"
#include "support/temp_dir.hpp"
#include "testing/fake_calendly/fake_calendly.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

namespace calrt {
namespace {

using namespace std::chrono_literals;

constexpr const char* kCalendlyToken = "cal-pat-doctor-must-not-leak-7f3a";
constexpr const char* kOpenAiKey = "sk-doctor-must-not-leak-9c1e";
constexpr const char* kWebhookSecret = "whsec-doctor-must-not-leak-22b0";
constexpr const char* kAdminToken = "admin-doctor-must-not-leak-51d4";
constexpr const char* kPublicBaseUrl = "https://book.example.com";

// "YYYY-MM-DD" `days` after today (UTC).
std::string date_in(int days) {
    const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) + std::chrono::days(days);
    const std::chrono::year_month_day date{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
}

struct DoctorRun {
    std::optional<int> exit_code;
    std::string output;  // stdout and stderr

    // The report line for `check` with `status` ("OK", "WARN", "FAIL", "INFO"), or "".
    std::string line(std::string_view status, std::string_view check) const {
        std::istringstream lines(output);
        for (std::string text; std::getline(lines, text);) {
            if (text.starts_with(status) && text.find(std::string(" ") + std::string(check) + " ") != std::string::npos) {
                return text;
            }
        }
        return {};
    }
    bool has(std::string_view status, std::string_view check) const { return !line(status, check).empty(); }
};

testing::FakeCalendlyOptions calendly_options() {
    testing::FakeCalendlyOptions options;
    options.access_token = kCalendlyToken;
    return options;
}

class Doctor : public ::testing::Test {
  protected:
    Doctor() {
        fake_calendly.start();
        fake_realtime.start();
    }
    ~Doctor() override { io.stop(); }

    std::string webhook_url() const { return std::string(kPublicBaseUrl) + "/api/calendly/webhook"; }
    std::string openai_rest_base() const { return "http://127.0.0.1:" + std::to_string(fake_realtime.port()) + "/v1"; }

    std::map<std::string, std::string> healthy_environment() const {
        return {{"CALENDLY_API_KEY", kCalendlyToken},
                {"CALENDLY_API_BASE_URL", fake_calendly.base_url()},
                {"CALENDLY_WEBHOOK_SECRET", kWebhookSecret},
                {"CALENDLY_MAX_ATTEMPTS", "1"},
                {"OPENAI_API_KEY", kOpenAiKey},
                {"OPENAI_REALTIME_URL", fake_realtime.url()},
                {"OPENAI_API_BASE_URL", openai_rest_base()},
                {"OPENAI_REALTIME_MODEL", "gpt-realtime-2.1"},
                {"PUBLIC_BASE_URL", kPublicBaseUrl},
                {"API_ADMIN_TOKEN", kAdminToken},
                {"DATA_DIR", (dir.path() / "data").string()}};
    }

    DoctorRun run(const std::map<std::string, std::string>& environment) {
        test::ChildProcess child(CALRT_BINARY, {"doctor"}, environment, dir.path().string());
        DoctorRun result;
        result.exit_code = child.wait_exit(60s);
        result.output = child.drain_stderr();
        for (const char* secret : {kCalendlyToken, kOpenAiKey, kWebhookSecret, kAdminToken}) {
            EXPECT_EQ(result.output.find(secret), std::string::npos) << "a secret was printed:\n" << result.output;
        }
        return result;
    }

    DoctorRun run_with(std::map<std::string, std::string> changes) {
        auto environment = healthy_environment();
        for (auto& [name, value] : changes) environment[name] = std::move(value);
        return run(environment);
    }

    test::TempDir dir;
    test::IoThreads io{2};
    testing::FakeCalendly fake_calendly{io.io, calendly_options()};
    testing::FakeRealtime fake_realtime{io.io, testing::FakeRealtimeOptions{.api_key = kOpenAiKey}};
    std::optional<testing::FakeRealtime> other_realtime;  // a second Realtime endpoint, when a test needs one
};

TEST_F(Doctor, HealthyDeploymentReportsEveryCheckAndExitsZero) {
    fake_calendly.subscribe_webhooks(webhook_url(), kWebhookSecret);
    const auto report = run(healthy_environment());
    EXPECT_EQ(report.exit_code, 0) << report.output;
    EXPECT_TRUE(report.has("OK", "calendly.token")) << report.output;
    EXPECT_TRUE(report.has("OK", "calendly.host")) << report.output;
    EXPECT_TRUE(report.has("OK", "calendly.organization")) << report.output;
    EXPECT_TRUE(report.has("OK", "calendly.event_types")) << report.output;
    EXPECT_TRUE(report.has("OK", "calendly.availability")) << report.output;
    EXPECT_TRUE(report.has("INFO", "calendly.plan")) << report.output;
    EXPECT_TRUE(report.has("OK", "calendly.webhook")) << report.output;
    EXPECT_TRUE(report.has("OK", "openai.key")) << report.output;
    EXPECT_NE(report.line("OK", "openai.model").find("no shutdown date"), std::string::npos) << report.output;
    EXPECT_TRUE(report.has("OK", "openai.realtime")) << report.output;
    EXPECT_FALSE(report.has("FAIL", "")) << report.output;
    // Each active event type has its own line; the seeded host has five.
    std::size_t event_type_lines = 0;
    std::istringstream lines(report.output);
    for (std::string text; std::getline(lines, text);) {
        if (text.find(" calendly.event_type ") != std::string::npos) ++event_type_lines;
    }
    EXPECT_GE(event_type_lines, 5u) << report.output;
    // The session was opened with the service's tools, then closed.
    ASSERT_FALSE(fake_realtime.session_updates().empty());
    EXPECT_EQ(fake_realtime.session_updates().back()["tools"].size(), 4u);
    EXPECT_EQ(fake_realtime.last_model(), "gpt-realtime-2.1");
}

TEST_F(Doctor, CalendlyTokenRefusedFailsAndSaysWhatToSet) {
    fake_calendly.subscribe_webhooks(webhook_url(), kWebhookSecret);
    const auto report = run_with({{"CALENDLY_API_KEY", "cal-pat-wrong-token-must-not-leak"}});
    EXPECT_EQ(report.exit_code, 1) << report.output;
    const std::string line = report.line("FAIL", "calendly.token");
    EXPECT_NE(line.find("CALENDLY_API_KEY"), std::string::npos) << report.output;
    EXPECT_EQ(report.output.find("cal-pat-wrong-token-must-not-leak"), std::string::npos) << report.output;
    // OpenAI is still checked.
    EXPECT_TRUE(report.has("OK", "openai.realtime")) << report.output;
}

TEST_F(Doctor, MissingWebhookSubscriptionFailsWithTheCommandThatRegistersIt) {
    const auto report = run(healthy_environment());
    EXPECT_EQ(report.exit_code, 1) << report.output;
    const std::string line = report.line("FAIL", "calendly.webhook");
    EXPECT_NE(line.find("calendly-realtime webhooks register --url " + webhook_url()), std::string::npos)
        << report.output;
}

TEST_F(Doctor, MissingWebhookWithoutASigningKeyOnlyWarns) {
    auto environment = healthy_environment();
    environment.erase("CALENDLY_WEBHOOK_SECRET");
    const auto report = run(environment);
    EXPECT_EQ(report.exit_code, 0) << report.output;
    EXPECT_NE(report.line("WARN", "calendly.webhook").find("CALENDLY_WEBHOOK_SECRET"), std::string::npos)
        << report.output;
}

TEST_F(Doctor, EventTypesTheTokenCannotReadFail) {
    fake_calendly.subscribe_webhooks(webhook_url(), kWebhookSecret);
    fake_calendly.inject("/event_types", testing::FaultPlan::error(403));
    const auto report = run(healthy_environment());
    EXPECT_EQ(report.exit_code, 1) << report.output;
    EXPECT_TRUE(report.has("FAIL", "calendly.event_types")) << report.output;
}

TEST_F(Doctor, WebhookListTheTokenCannotReadOnlyWarns) {
    fake_calendly.inject("/webhook_subscriptions", testing::FaultPlan::error(403, 2));
    const auto report = run(healthy_environment());
    EXPECT_EQ(report.exit_code, 0) << report.output;
    EXPECT_NE(report.line("WARN", "calendly.webhook").find("not checked"), std::string::npos) << report.output;
}

TEST_F(Doctor, ModelShuttingDownWithinSixtyDaysWarnsAndStillExitsZero) {
    fake_calendly.subscribe_webhooks(webhook_url(), kWebhookSecret);
    const std::string shutdown = date_in(30);
    fake_realtime.models().set({.id = "gpt-realtime-doctor-test", .shutdown_date = shutdown});
    const auto report = run_with({{"OPENAI_REALTIME_MODEL", "gpt-realtime-doctor-test"}});
    EXPECT_EQ(report.exit_code, 0) << report.output;
    const std::string line = report.line("WARN", "openai.model");
    EXPECT_NE(line.find(shutdown), std::string::npos) << report.output;
    EXPECT_NE(line.find("OPENAI_REALTIME_MODEL"), std::string::npos) << report.output;
}

TEST_F(Doctor, ModelShuttingDownLaterIsReportedAsOk) {
    fake_calendly.subscribe_webhooks(webhook_url(), kWebhookSecret);
    const std::string shutdown = date_in(90);
    fake_realtime.models().set({.id = "gpt-realtime-doctor-test", .shutdown_date = shutdown});
    const auto report = run_with({{"OPENAI_REALTIME_MODEL", "gpt-realtime-doctor-test"}});
    EXPECT_EQ(report.exit_code, 0) << report.output;
    EXPECT_NE(report.line("OK", "openai.model").find(shutdown), std::string::npos) << report.output;
}

TEST_F(Doctor, ModelPastItsShutdownDateFails) {
    fake_calendly.subscribe_webhooks(webhook_url(), kWebhookSecret);
    fake_realtime.models().set({.id = "gpt-realtime-doctor-test", .shutdown_date = date_in(-1)});
    const auto report = run_with({{"OPENAI_REALTIME_MODEL", "gpt-realtime-doctor-test"}});
    EXPECT_EQ(report.exit_code, 1) << report.output;
    EXPECT_NE(report.line("FAIL", "openai.model").find("was shut down"), std::string::npos) << report.output;
}

TEST_F(Doctor, UnknownModelFails) {
    fake_calendly.subscribe_webhooks(webhook_url(), kWebhookSecret);
    const auto report = run_with({{"OPENAI_REALTIME_MODEL", "gpt-realtime-does-not-exist"}});
    EXPECT_EQ(report.exit_code, 1) << report.output;
    EXPECT_NE(report.line("FAIL", "openai.model").find("model_not_found"), std::string::npos) << report.output;
    EXPECT_TRUE(report.has("OK", "openai.key")) << report.output;
}

TEST_F(Doctor, OpenAiKeyRefusedFailsWithoutPrintingIt) {
    fake_calendly.subscribe_webhooks(webhook_url(), kWebhookSecret);
    const auto report = run_with({{"OPENAI_API_KEY", "sk-wrong-key-must-not-leak"}});
    EXPECT_EQ(report.exit_code, 1) << report.output;
    EXPECT_NE(report.line("FAIL", "openai.key").find("OPENAI_API_KEY"), std::string::npos) << report.output;
    EXPECT_EQ(report.output.find("sk-wrong-key-must-not-leak"), std::string::npos) << report.output;
}

TEST_F(Doctor, RealtimeSessionRefusedAtTheUpgradeFails) {
    fake_calendly.subscribe_webhooks(webhook_url(), kWebhookSecret);
    // A Realtime endpoint that does not take this key, while the models endpoint does.
    other_realtime.emplace(io.io, testing::FakeRealtimeOptions{.api_key = "another-key"});
    other_realtime->start();
    const auto report = run_with({{"OPENAI_REALTIME_URL", other_realtime->url()}});
    EXPECT_EQ(report.exit_code, 1) << report.output;
    EXPECT_TRUE(report.has("OK", "openai.model")) << report.output;
    EXPECT_NE(report.line("FAIL", "openai.realtime").find("401"), std::string::npos) << report.output;
    EXPECT_EQ(other_realtime->connections_rejected(), 1u);
}

TEST_F(Doctor, RealtimeSessionRefusingTheConfigurationFails) {
    fake_calendly.subscribe_webhooks(webhook_url(), kWebhookSecret);
    other_realtime.emplace(io.io, testing::FakeRealtimeOptions{.api_key = kOpenAiKey,
                                                              .refuse_session_updates = "invalid_value"});
    other_realtime->start();
    const auto report = run_with({{"OPENAI_REALTIME_URL", other_realtime->url()}});
    EXPECT_EQ(report.exit_code, 1) << report.output;
    EXPECT_NE(report.line("FAIL", "openai.realtime").find("invalid_value"), std::string::npos) << report.output;
    EXPECT_EQ(other_realtime->connections_accepted(), 1u);
}

TEST_F(Doctor, WebhookSubscriptionLackingAnEventFails) {
    // Registered by hand for invitee.created only: cancellations would never reach the service.
    const std::string body = R"({"url":")" + webhook_url() + R"(","events":["invitee.created"],"organization":")" +
                             fake_calendly.organization_uri() + R"(","scope":"organization"})";
    const auto created = test::http_request(fake_calendly.port(), "POST", "/webhook_subscriptions",
                                            {{"Authorization", std::string("Bearer ") + kCalendlyToken},
                                             {"Content-Type", "application/json"}},
                                            body);
    ASSERT_EQ(created.result_int(), 201u) << created.body();
    const auto report = run(healthy_environment());
    EXPECT_EQ(report.exit_code, 1) << report.output;
    EXPECT_NE(report.line("FAIL", "calendly.webhook").find("invitee.canceled"), std::string::npos) << report.output;
}

// An organization's admin token: the doctor reports organization mode and wants the organization's
// subscription, since a user-scope one hears the admin's own bookings only.
class DoctorOrganization : public Doctor {
  protected:
    void start_organization(std::string token_role) {
        testing::FakeCalendlyOptions options = calendly_options();
        options.sandbox_team = true;
        options.token_role = std::move(token_role);
        organization.emplace(io.io, options);
        organization->start();
    }
    DoctorRun run_on_organization(std::map<std::string, std::string> changes = {}) {
        changes["CALENDLY_API_BASE_URL"] = organization->base_url();
        return run_with(std::move(changes));
    }

    std::optional<testing::FakeCalendly> organization;
};

TEST_F(DoctorOrganization, AdminTokenIsOrganizationModeAndNeedsTheOrganizationsSubscription) {
    start_organization("owner");
    const auto missing = run_on_organization();
    EXPECT_NE(missing.line("OK", "calendly.scope").find("detected organization mode"), std::string::npos)
        << missing.output;
    EXPECT_NE(missing.line("OK", "calendly.scope").find("4 members"), std::string::npos) << missing.output;
    EXPECT_NE(missing.line("FAIL", "calendly.webhook").find("--scope organization"), std::string::npos)
        << missing.output;
    EXPECT_EQ(missing.exit_code, 1);

    organization->subscribe_webhooks(webhook_url(), kWebhookSecret);  // an organization-scope subscription
    const auto subscribed = run_on_organization();
    EXPECT_NE(subscribed.line("OK", "calendly.webhook").find("organization scope"), std::string::npos)
        << subscribed.output;
}

TEST_F(DoctorOrganization, OrganizationScopeWithAMembersTokenFails) {
    start_organization("user");
    const auto report = run_on_organization({{"CALENDLY_SCOPE", "organization"}});
    EXPECT_EQ(report.exit_code, 1) << report.output;
    EXPECT_NE(report.line("FAIL", "calendly.scope").find("the token's role is user"), std::string::npos)
        << report.output;
    // Detected, the same token is one host.
    const auto detected = run_on_organization();
    EXPECT_NE(detected.line("OK", "calendly.scope").find("detected one host"), std::string::npos) << detected.output;
}

TEST_F(Doctor, ASoloAccountIsOneHost) {
    fake_calendly.subscribe_webhooks(webhook_url(), kWebhookSecret);
    const auto report = run(healthy_environment());
    EXPECT_NE(report.line("OK", "calendly.scope").find("detected one host: Alex Rivera"), std::string::npos)
        << report.output;
    EXPECT_NE(report.line("OK", "calendly.scope").find("one member"), std::string::npos) << report.output;
}

}  // namespace
}  // namespace calrt
