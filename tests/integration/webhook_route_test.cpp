// POST /api/calendly/webhook and GET /api/calendly/webhook/events over a real socket, with the real
// SQLite store in a temporary directory.
#include "calrt/server/webhook_routes.hpp"
#include "calrt/store/webhook_store.hpp"
#include "support/http_test_client.hpp"
#include "support/running_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_signature.hpp"
#include "support/webhook_envelope.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <future>
#include <thread>

namespace calrt::server {
namespace {

constexpr std::string_view kKey = "webhook-signing-key";
constexpr std::string_view kAdmin = "admin-token";

class WebhookRouteTest : public ::testing::Test {
protected:
    void start(std::string signing_key = std::string(kKey)) {
        store::StoreOptions options;
        options.data_dir = dir.path();
        options.metrics = &server.metrics;
        store_ = std::move(*store::WebhookStore::open(options));
        context_ = std::make_unique<WebhookRouteContext>(WebhookRouteContext{
            *store_, Secret(std::move(signing_key)), Secret(std::string(kAdmin)), clock, server.metrics, 4096});
        add_webhook_routes(server.router, *context_);
        server.start();
    }
    void TearDown() override { server.shutdown_and_wait(std::chrono::seconds(1), std::chrono::seconds(3)); }

    test::HttpResponse deliver(const std::string& body, std::optional<std::string> signature = std::nullopt) {
        std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
        const std::string header = signature.value_or(test::calendly_signature(kKey, test::unix_now(), body));
        if (!header.empty()) headers.emplace_back("Calendly-Webhook-Signature", header);
        return test::http_request(server.port(), "POST", "/api/calendly/webhook", headers, body);
    }

    nlohmann::json events(const std::string& query = "") {
        auto response = test::http_request(server.port(), "GET", "/api/calendly/webhook/events" + query,
                                           {{"Authorization", "Bearer " + std::string(kAdmin)}});
        EXPECT_EQ(response.result_int(), 200u) << response.body();
        return nlohmann::json::parse(response.body());
    }

    test::TempDir dir;
    SystemClock clock;
    test::RunningServer server;
    // Destroyed before the server's io_context, as WebhookStore requires.
    std::unique_ptr<store::WebhookStore> store_;
    std::unique_ptr<WebhookRouteContext> context_;
};

TEST_F(WebhookRouteTest, ValidDeliveryIsStoredThenAcknowledged) {
    start();
    auto response = deliver(test::webhook_envelope("invitee.created", test::invitee_uri(1)));
    ASSERT_EQ(response.result_int(), 200u) << response.body();
    EXPECT_EQ(nlohmann::json::parse(response.body()), (nlohmann::json{{"received", true}, {"duplicate", false}}));
    EXPECT_EQ(store_->count_blocking().value(), 1u) << "acknowledged means committed";
}

TEST_F(WebhookRouteTest, RedeliveryIsAcknowledgedAsDuplicateAndStoresNothing) {
    start();
    const std::string body = test::webhook_envelope("invitee.created", test::invitee_uri(1));
    ASSERT_EQ(deliver(body).result_int(), 200u);
    auto again = deliver(body);
    ASSERT_EQ(again.result_int(), 200u);
    EXPECT_EQ(nlohmann::json::parse(again.body())["duplicate"], true);
    EXPECT_EQ(store_->count_blocking().value(), 1u);
}

TEST_F(WebhookRouteTest, EveryEventKindIsStoredIncludingUnknownOnes) {
    start();
    int n = 0;
    for (const char* event : {"invitee.created", "invitee.canceled", "invitee_no_show.created",
                              "invitee_no_show.deleted", "routing_form_submission.created", "something.new"}) {
        auto response = deliver(test::webhook_envelope(event, test::invitee_uri(++n)));
        EXPECT_EQ(response.result_int(), 200u) << event << ": " << response.body();
    }
    EXPECT_EQ(store_->count_blocking().value(), 6u);
}

TEST_F(WebhookRouteTest, MissingSignatureIs401AndStoresNothing) {
    start();
    auto response = deliver(test::webhook_envelope("invitee.created", test::invitee_uri(1)), "");
    EXPECT_EQ(response.result_int(), 401u);
    EXPECT_EQ(store_->count_blocking().value(), 0u);
}

TEST_F(WebhookRouteTest, MalformedSignatureIs401) {
    start();
    for (const char* header : {"garbage", "t=abc,v1=00", "v1=deadbeef", "t=123"}) {
        auto response = deliver(test::webhook_envelope("invitee.created", test::invitee_uri(1)), header);
        EXPECT_EQ(response.result_int(), 401u) << header;
    }
    EXPECT_EQ(store_->count_blocking().value(), 0u);
}

TEST_F(WebhookRouteTest, WrongKeyIs401) {
    start();
    const std::string body = test::webhook_envelope("invitee.created", test::invitee_uri(1));
    auto response = deliver(body, test::calendly_signature("another-key", test::unix_now(), body));
    EXPECT_EQ(response.result_int(), 401u);
    EXPECT_EQ(nlohmann::json::parse(response.body())["error"]["code"], "webhook_signature_mismatch");
}

TEST_F(WebhookRouteTest, TamperedBodyIs401) {
    start();
    const std::string body = test::webhook_envelope("invitee.created", test::invitee_uri(1));
    const std::string signature = test::calendly_signature(kKey, test::unix_now(), body);
    auto response = deliver(test::webhook_envelope("invitee.created", test::invitee_uri(2)), signature);
    EXPECT_EQ(response.result_int(), 401u);
}

TEST_F(WebhookRouteTest, ReplayOutsideTheToleranceIs401) {
    start();
    const std::string body = test::webhook_envelope("invitee.created", test::invitee_uri(1));
    auto old = deliver(body, test::calendly_signature(kKey, test::unix_now() - 181, body));
    EXPECT_EQ(old.result_int(), 401u);
    EXPECT_EQ(nlohmann::json::parse(old.body())["error"]["code"], "stale_webhook_signature");
    auto future = deliver(body, test::calendly_signature(kKey, test::unix_now() + 181, body));
    EXPECT_EQ(future.result_int(), 401u);
    auto recent = deliver(body, test::calendly_signature(kKey, test::unix_now() - 170, body));
    EXPECT_EQ(recent.result_int(), 200u) << "inside the 180 s window";
}

TEST_F(WebhookRouteTest, MalformedJsonWithValidSignatureIs400) {
    start();
    auto response = deliver("{not json");
    EXPECT_EQ(response.result_int(), 400u);
    auto no_event = deliver(R"({"payload":{}})");
    EXPECT_EQ(no_event.result_int(), 400u);
    // Valid JSON grammar, but a number no double holds (found by webhook_envelope_fuzz).
    auto huge_number = deliver(R"({"event":"invitee.created","payload":{"uri":"u","n":7E999999}})");
    EXPECT_EQ(huge_number.result_int(), 400u) << huge_number.body();
    EXPECT_EQ(nlohmann::json::parse(huge_number.body())["error"]["code"], "invalid_json");
    EXPECT_EQ(store_->count_blocking().value(), 0u);
}

TEST_F(WebhookRouteTest, OversizedBodyIs413) {
    start();
    const std::string body = test::webhook_envelope("invitee.created", std::string(5000, 'x'));
    EXPECT_EQ(deliver(body).result_int(), 413u);
}

TEST_F(WebhookRouteTest, NoSecretConfiguredIs503) {
    start("");
    auto response = deliver(test::webhook_envelope("invitee.created", test::invitee_uri(1)));
    EXPECT_EQ(response.result_int(), 503u);
    EXPECT_NE(response.body().find("CALENDLY_WEBHOOK_SECRET"), std::string::npos);
}

TEST_F(WebhookRouteTest, ConcurrentDeliveriesAreAllStored) {
    start();
    std::vector<std::future<unsigned>> results;
    for (int t = 0; t < 8; ++t) {
        results.push_back(std::async(std::launch::async, [this, t] {
            unsigned ok = 0;
            for (int i = 0; i < 25; ++i) {
                ok += deliver(test::webhook_envelope("invitee.created", test::invitee_uri(t * 100 + i))).result_int() == 200;
            }
            return ok;
        }));
    }
    unsigned acknowledged = 0;
    for (auto& r : results) acknowledged += r.get();
    EXPECT_EQ(acknowledged, 200u);
    EXPECT_EQ(store_->count_blocking().value(), 200u);
}

TEST_F(WebhookRouteTest, EventsListingIsAdminOnlyNewestFirstAndFiltered) {
    start();
    deliver(test::webhook_envelope("invitee.created", test::invitee_uri(1)));
    deliver(test::webhook_envelope("invitee.canceled", test::invitee_uri(1)));
    deliver(test::webhook_envelope("invitee.created", test::invitee_uri(2)));

    EXPECT_EQ(test::http_request(server.port(), "GET", "/api/calendly/webhook/events").result_int(), 401u);
    EXPECT_EQ(test::http_request(server.port(), "GET", "/api/calendly/webhook/events", {{"Authorization", "Bearer nope"}})
                  .result_int(),
              403u);

    auto all = events();
    ASSERT_EQ(all["events"].size(), 3u);
    EXPECT_EQ(all["events"][0]["payload_uri"], test::invitee_uri(2));
    EXPECT_EQ(all["events"][2]["event"], "invitee.created");
    EXPECT_EQ(all["events"][0]["envelope"]["event"], "invitee.created");

    auto created = events("?event=invitee.created&limit=1");
    ASSERT_EQ(created["events"].size(), 1u);
    ASSERT_TRUE(created["next_cursor"].is_string());
    auto next = events("?event=invitee.created&limit=1&cursor=" + created["next_cursor"].get<std::string>());
    ASSERT_EQ(next["events"].size(), 1u);
    EXPECT_EQ(next["events"][0]["payload_uri"], test::invitee_uri(1));
    EXPECT_TRUE(next["next_cursor"].is_null());

    auto bad = test::http_request(server.port(), "GET", "/api/calendly/webhook/events?limit=0",
                                  {{"Authorization", "Bearer " + std::string(kAdmin)}});
    EXPECT_EQ(bad.result_int(), 400u);
}

}  // namespace
}  // namespace calrt::server
