// GET /api/calendly/self-service/changes over a real socket with the real SQLite store: admin only
// (401, 403, 503 as every admin action), the listing's shape, filters and pages, and 400s that say
// what was wrong.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "calrt/server/self_service_audit_routes.hpp"
#include "calrt/store/webhook_store.hpp"
#include "support/http_test_client.hpp"
#include "support/running_server.hpp"
#include "support/temp_dir.hpp"

namespace calrt::server {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::string_view kAdmin = "audit-admin-token";
constexpr std::string_view kRoute = "/api/calendly/self-service/changes";

store::SelfServiceChangeRecord change(std::string action, std::string email, int n) {
    store::SelfServiceChangeRecord record;
    record.action = std::move(action);
    record.outcome = "done";
    record.email = std::move(email);
    record.conversation_id = "req-" + std::to_string(n) + "-conv";
    record.event_uri = "https://api.calendly.com/scheduled_events/E" + std::to_string(n);
    record.old_start = Timestamp(std::chrono::sys_days(std::chrono::year(2027) / 1 / 15)) + 15h;
    record.recorded_at = Timestamp(std::chrono::sys_days(std::chrono::year(2026) / 12 / 7)) +
                         std::chrono::minutes(n);
    if (record.action == "reschedule") {
        record.new_event_uri = "https://api.calendly.com/scheduled_events/N" + std::to_string(n);
        record.new_start = record.old_start + 24h;
    }
    return record;
}

class SelfServiceAuditRouteTest : public ::testing::Test {
  protected:
    void start(std::string admin_token = std::string(kAdmin)) {
        store::StoreOptions options;
        options.data_dir = dir.path();
        options.metrics = &server.metrics;
        options.self_service_audit_retention = std::chrono::days(0);  // the fixed dates stay
        store_ = std::move(*store::WebhookStore::open(options));
        context_ = std::make_unique<SelfServiceAuditRouteContext>(
            SelfServiceAuditRouteContext{*store_, Secret(std::move(admin_token))});
        add_self_service_audit_routes(server.router, *context_);
        server.start();
    }
    void TearDown() override {
        server.shutdown_and_wait(std::chrono::seconds(1), std::chrono::seconds(3));
    }

    void record(const store::SelfServiceChangeRecord& record) {
        ASSERT_TRUE(store_->record_change_blocking(record));
    }

    test::HttpResponse get(const std::string& query, std::string token = std::string(kAdmin)) {
        std::vector<std::pair<std::string, std::string>> headers;
        if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
        return test::http_request(server.port(), "GET", std::string(kRoute) + query, headers);
    }

    json page(const std::string& query = "") {
        auto response = get(query);
        EXPECT_EQ(response.result_int(), 200u) << response.body();
        return json::parse(response.body(), nullptr, false);
    }

    static std::string error_code(const test::HttpResponse& response) {
        const auto body = json::parse(response.body(), nullptr, false);
        return body.is_object() ? body["error"].value("code", "") : "";
    }

    test::TempDir dir;
    test::RunningServer server;
    // Destroyed before the server's io_context, as WebhookStore requires.
    std::unique_ptr<store::WebhookStore> store_;
    std::unique_ptr<SelfServiceAuditRouteContext> context_;
};

TEST_F(SelfServiceAuditRouteTest, IsForTheAdminOnly) {
    start();
    record(change("cancel", "ada@example.com", 1));

    const auto anonymous = get("", "");
    EXPECT_EQ(anonymous.result_int(), 401u);
    EXPECT_EQ(anonymous.body().find("ada@example.com"), std::string::npos);
    const auto wrong = get("", "not-the-token");
    EXPECT_EQ(wrong.result_int(), 403u);
    EXPECT_EQ(wrong.body().find("ada@example.com"), std::string::npos);
}

TEST_F(SelfServiceAuditRouteTest, AnswersServiceUnavailableWithoutAnAdminToken) {
    start("");
    const auto response = get("", "anything");
    EXPECT_EQ(response.result_int(), 503u);
    EXPECT_EQ(error_code(response), "admin_not_configured");
}

TEST_F(SelfServiceAuditRouteTest, ListsEachChangeNewestFirstWithWhoWhatAndWhen) {
    start();
    record(change("cancel", "ada@example.com", 1));
    record(change("reschedule", "Bob@Example.com", 2));

    const json listed = page();
    ASSERT_TRUE(listed.is_object());
    ASSERT_EQ(listed["changes"].size(), 2u) << listed.dump();
    EXPECT_TRUE(listed["next_cursor"].is_null());
    const json& moved = listed["changes"][0];
    EXPECT_TRUE(moved["id"].is_number_integer());
    EXPECT_EQ(moved["recorded_at"], "2026-12-07T00:02:00Z");
    EXPECT_EQ(moved["action"], "reschedule");
    EXPECT_EQ(moved["outcome"], "done");
    EXPECT_EQ(moved["email"], "Bob@Example.com");
    EXPECT_EQ(moved["conversation_id"], "req-2-conv");
    EXPECT_EQ(moved["event_uri"], "https://api.calendly.com/scheduled_events/E2");
    EXPECT_EQ(moved["old_start"], "2027-01-15T15:00:00Z");
    EXPECT_EQ(moved["new_event_uri"], "https://api.calendly.com/scheduled_events/N2");
    EXPECT_EQ(moved["new_start"], "2027-01-16T15:00:00Z");
    const json& cancelled = listed["changes"][1];
    EXPECT_EQ(cancelled["action"], "cancel");
    EXPECT_FALSE(cancelled.contains("new_event_uri"));
    EXPECT_FALSE(cancelled.contains("new_start"));
}

TEST_F(SelfServiceAuditRouteTest, FiltersByEmailAndSinceAndPagesWithTheCursor) {
    start();
    record(change("cancel", "ada@example.com", 1));
    record(change("cancel", "bob@example.com", 2));
    record(change("cancel", "Ada@Example.com", 3));
    record(change("cancel", "ada@example.com", 4));

    const json first = page("?email=ADA%40example.com&limit=2");
    ASSERT_EQ(first["changes"].size(), 2u) << first.dump();
    EXPECT_EQ(first["changes"][0]["conversation_id"], "req-4-conv");
    EXPECT_EQ(first["changes"][1]["conversation_id"], "req-3-conv");
    ASSERT_TRUE(first["next_cursor"].is_string());
    const json second =
        page("?email=ADA%40example.com&limit=2&cursor=" + first["next_cursor"].get<std::string>());
    ASSERT_EQ(second["changes"].size(), 1u) << second.dump();
    EXPECT_EQ(second["changes"][0]["conversation_id"], "req-1-conv");
    EXPECT_TRUE(second["next_cursor"].is_null());

    const json recent = page("?since=2026-12-07T00:03:00Z");
    ASSERT_EQ(recent["changes"].size(), 2u) << recent.dump();
    EXPECT_EQ(recent["changes"][1]["conversation_id"], "req-3-conv");
}

TEST_F(SelfServiceAuditRouteTest, RefusesBadInputSayingWhatWasWrong) {
    start();
    const std::pair<std::string, std::string> cases[] = {
        {"?limit=0", "invalid_limit"},
        {"?limit=501", "invalid_limit"},
        {"?limit=ten", "invalid_limit"},
        {"?since=yesterday", "invalid_time"},
        {"?email=not-an-address", "invalid_email"},
        {"?cursor=zz", "invalid_cursor"},
        {"?event=invitee.created", "unknown_field"},
    };
    for (const auto& [query, code] : cases) {
        const auto response = get(query);
        EXPECT_EQ(response.result_int(), 400u) << query;
        EXPECT_EQ(error_code(response), code) << query << ": " << response.body();
    }
}

}  // namespace
}  // namespace calrt::server
