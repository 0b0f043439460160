// A signed delivery nested a few hundred thousand levels deep once crashed every later listing of
// the stored events, for good (issue 9, item 1). Intake refuses it, and a deep row already on disk
// is listed with an error marker instead of taking the service down.
#include "calrt/server/webhook_routes.hpp"
#include "calrt/store/webhook_store.hpp"
#include "support/http_test_client.hpp"
#include "support/running_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_signature.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace calrt::server {
namespace {

constexpr std::string_view kKey = "webhook-signing-key";
constexpr std::string_view kAdmin = "admin-token";

// An invitee.created envelope whose payload holds `levels` nested objects ({"":{"":...}}) or arrays.
std::string deep_envelope(std::size_t levels, char open) {
    std::string body = R"({"event":"invitee.created","created_at":"2026-11-29T10:00:00.000000Z",)"
                       R"("payload":{"uri":"https://api.calendly.com/scheduled_events/E/invitees/I","x":)";
    body.reserve(body.size() + levels * 5 + 16);
    if (open == '{') {
        for (std::size_t i = 0; i < levels; ++i) body += "{\"\":";
        body += '1';
        body.append(levels, '}');
    } else {
        body.append(levels, '[');
        body.append(levels, ']');
    }
    return body + "}}";
}

class WebhookDeepBodyTest : public ::testing::Test {
protected:
    void start() {
        store::StoreOptions options;
        options.data_dir = dir.path();
        options.metrics = &server.metrics;
        store_ = std::move(*store::WebhookStore::open(options));
        context_ = std::make_unique<WebhookRouteContext>(WebhookRouteContext{
            *store_, Secret(std::string(kKey)), Secret(std::string(kAdmin)), clock, server.metrics,
            server.config.limits.max_webhook_body_bytes});
        add_webhook_routes(server.router, *context_);
        server.start();
    }
    void TearDown() override { server.shutdown_and_wait(std::chrono::seconds(1), std::chrono::seconds(3)); }

    test::HttpResponse deliver(const std::string& body) {
        return test::http_request(server.port(), "POST", "/api/calendly/webhook",
                                  {{"Content-Type", "application/json"},
                                   {"Calendly-Webhook-Signature", test::calendly_signature(kKey, test::unix_now(), body)}},
                                  body);
    }

    test::HttpResponse list_events() {
        return test::http_request(server.port(), "GET", "/api/calendly/webhook/events",
                                  {{"Authorization", "Bearer " + std::string(kAdmin)}});
    }

    test::TempDir dir;
    SystemClock clock;
    test::RunningServer server;
    std::unique_ptr<store::WebhookStore> store_;
    std::unique_ptr<WebhookRouteContext> context_;
};

TEST_F(WebhookDeepBodyTest, ASignedDeliveryNestedTooDeeplyIsRefusedAndNothingIsStored) {
    start();
    for (const char open : {'{', '['}) {
        for (const std::size_t levels : {100'000u, 200'000u}) {
            const std::string body = deep_envelope(levels, open);
            ASSERT_LE(body.size(), server.config.limits.max_webhook_body_bytes) << "refused for depth, not size";
            const auto response = deliver(body);
            EXPECT_EQ(response.result_int(), 400u) << open << levels << ": " << response.body();
            EXPECT_EQ(nlohmann::json::parse(response.body())["error"]["code"], "too_deeply_nested");
        }
    }
    EXPECT_EQ(store_->count_blocking().value(), 0u);
    EXPECT_EQ(list_events().result_int(), 200u);
}

TEST_F(WebhookDeepBodyTest, ADeepRowAlreadyOnDiskIsListedWithAnErrorMarker) {
    start();
    ASSERT_EQ(deliver(deep_envelope(3, '{')).result_int(), 200u);  // an ordinary row beside it
    // Rows stored before intake refused deep bodies: written straight into the database.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(store_->database_file().c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    for (const char open : {'{', '['}) {
        for (const std::size_t levels : {100'000u, 200'000u}) {
            sqlite3_stmt* insert = nullptr;
            ASSERT_EQ(sqlite3_prepare_v2(db,
                                         "INSERT INTO webhook_deliveries (event, payload_uri, envelope_created_at, "
                                         "received_at_ms, raw_body) VALUES ('invitee.created', ?1, 'x', 0, ?2)",
                                         -1, &insert, nullptr),
                      SQLITE_OK);
            const std::string uri = std::string(1, open) + std::to_string(levels);
            const std::string body = deep_envelope(levels, open);
            sqlite3_bind_text(insert, 1, uri.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, 2, body.c_str(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
            EXPECT_EQ(sqlite3_step(insert), SQLITE_DONE);
            sqlite3_finalize(insert);
        }
    }
    sqlite3_close(db);

    const auto response = list_events();
    ASSERT_EQ(response.result_int(), 200u) << response.body();
    const auto events = nlohmann::json::parse(response.body())["events"];
    ASSERT_EQ(events.size(), 5u);
    std::size_t marked = 0;
    for (const auto& event : events) {
        if (event["envelope"].is_null()) {
            EXPECT_EQ(event["envelope_error"]["code"], "too_deeply_nested");
            ++marked;
        } else {
            EXPECT_EQ(event["envelope"]["event"], "invitee.created");
        }
    }
    EXPECT_EQ(marked, 4u);
}

}  // namespace
}  // namespace calrt::server
