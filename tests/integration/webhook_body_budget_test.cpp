// POST /api/calendly/webhook while one address misbehaves (issue 20, review item N1): idle
// connections that declare large bodies no longer hold the body budget Calendly's deliveries need,
// and a delivery without a well-formed, fresh signature header is refused before its body is read.
// Real server, real SQLite store, real sockets; 127.0.0.2 and 127.0.0.3 are two client addresses.
#include "calrt/server/webhook_routes.hpp"
#include "calrt/store/webhook_store.hpp"
#include "server/request_body.hpp"
#include "support/http_test_client.hpp"
#include "support/running_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_signature.hpp"
#include "support/webhook_envelope.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

namespace calrt::server {
namespace {

using test::HttpTestClient;
using namespace std::chrono_literals;

constexpr std::string_view kKey = "webhook-signing-key";
constexpr std::size_t kDeclared = 1024 * 1024;  // MAX_WEBHOOK_BODY_BYTES, the route's limit

class WebhookBodyBudgetTest : public ::testing::Test {
protected:
    void SetUp() override {
        store::StoreOptions options;
        options.data_dir = dir.path();
        options.metrics = &server.metrics;
        store_ = std::move(*store::WebhookStore::open(options));
        context_ = std::make_unique<WebhookRouteContext>(
            WebhookRouteContext{*store_, Secret(std::string(kKey)), Secret(std::string("admin")), clock, server.metrics,
                                server.config.limits.max_webhook_body_bytes});
        add_webhook_routes(server.router, *context_);
        server.start();  // the default limits: 64 MiB of bodies, 4 MiB per address, 64 connections per address
    }
    void TearDown() override { server.shutdown_and_wait(1s, 3s); }

    // The head of a delivery that declares `length` bytes, with `signature` unless empty.
    static std::string delivery_head(std::size_t length, const std::string& signature) {
        std::string head = "POST /api/calendly/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Content-Length: " + std::to_string(length) + "\r\n";
        if (!signature.empty()) head += "Calendly-Webhook-Signature: " + signature + "\r\n";
        return head + "\r\n";
    }

    test::TempDir dir;
    SystemClock clock;
    test::RunningServer server;
    std::unique_ptr<store::WebhookStore> store_;  // destroyed before the server's io_context
    std::unique_ptr<WebhookRouteContext> context_;
};

TEST_F(WebhookBodyBudgetTest, IdleDeclaredBodiesFromOneAddressDoNotBlockASignedDeliveryFromAnother) {
    // The review's exploit: one address, 64 connections, each declaring 1 MiB and sending nothing
    // more, with a signature header that looks right (anyone can write a fresh t= and 64 hex digits).
    const std::string plausible = "t=" + std::to_string(test::unix_now()) + ",v1=" + std::string(64, '0');
    std::vector<std::unique_ptr<HttpTestClient>> idle;
    for (int i = 0; i < 64; ++i) {
        idle.push_back(std::make_unique<HttpTestClient>(server.port(), "127.0.0.2"));
        idle.back()->send_raw(delivery_head(kDeclared, plausible));
    }
    // Each holds room for one read (it used to hold its whole declared 1 MiB: 64 MiB, the budget).
    ASSERT_TRUE(test::wait_until([&] { return server.server_->buffered_body_bytes() >= 64 * kBodyReadAheadBytes; }))
        << server.server_->buffered_body_bytes();

    const std::string body = test::webhook_envelope("invitee.created", test::invitee_uri(1));
    HttpTestClient calendly(server.port(), "127.0.0.3");
    const auto response = calendly.request(
        "POST", "/api/calendly/webhook",
        {{"Content-Type", "application/json"},
         {"Calendly-Webhook-Signature", test::calendly_signature(kKey, test::unix_now(), body)}},
        body);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 200u) << response->body();
    EXPECT_EQ(store_->count_blocking().value(), 1u);
    EXPECT_EQ(server.server_->buffered_body_bytes(), 64 * kBodyReadAheadBytes);
}

TEST_F(WebhookBodyBudgetTest, ADeliveryWithoutAWellFormedFreshSignatureIsRefusedBeforeItsBody) {
    const std::int64_t now = test::unix_now();
    const std::string well_formed_v1 = ",v1=" + std::string(64, 'a');
    const std::pair<std::string, std::string_view> cases[] = {
        {"", "missing_webhook_signature"},
        {"t=" + std::to_string(now), "malformed_webhook_signature"},
        {"t=" + std::to_string(now) + ",v1=abc", "malformed_webhook_signature"},
        {"t=" + std::to_string(now - 181) + well_formed_v1, "stale_webhook_signature"},
        {"t=" + std::to_string(now + 181) + well_formed_v1, "stale_webhook_signature"},
    };
    for (const auto& [signature, code] : cases) {
        // The body is never sent: the answer comes from the head alone.
        HttpTestClient client(server.port(), "127.0.0.2", 2s);
        client.send_raw(delivery_head(kDeclared, signature));
        const auto response = client.read_response();
        ASSERT_TRUE(response) << "no answer before the body for '" << signature << "'";
        EXPECT_EQ(response->result_int(), 401u) << signature;
        EXPECT_EQ(nlohmann::json::parse(response->body())["error"]["code"], code) << signature;
    }
    EXPECT_EQ(server.server_->buffered_body_bytes(), 0u);
    EXPECT_EQ(store_->count_blocking().value(), 0u);
}

}  // namespace
}  // namespace calrt::server
