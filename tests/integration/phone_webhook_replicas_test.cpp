// Two replicas of POST /api/openai/webhook, each its own HTTP server, phone lines and webhook store
// on one PostgreSQL database, with StoreWebhookClaims: whichever replica OpenAI's deliveries
// reach, and however they race, the fake OpenAI's call control records one accept per call
// (issue 24).

#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "calrt/core/metrics.hpp"
#include "calrt/core/time.hpp"
#include "calrt/net/http_client.hpp"
#include "calrt/phone/phone_calls.hpp"
#include "calrt/phone/webhook_claims.hpp"
#include "calrt/phone/webhook_route.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/router.hpp"
#include "calrt/store/webhook_store.hpp"
#include "support/io_threads.hpp"
#include "support/postgres_cluster.hpp"
#include "support/running_server.hpp"
#include "support/temp_dir.hpp"
#include "support/webhook_store_support.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"
#include "testing/fake_realtime/incoming_call_webhook.hpp"

namespace calrt {
namespace {

using nlohmann::json;

constexpr const char* kKey = "test-openai-key";
const std::string kSecret = "whsec_c2VjcmV0LWtleS1ieXRlcy1mb3ItdGhlLWZha2UtdGVzdA==";

json accept_session() {
    return {{"type", "realtime"},
            {"model", "gpt-realtime-2.1"},
            {"instructions", "You answer the phone."}};
}

std::unique_ptr<store::WebhookStore> open_store(const std::string& database_url,
                                                const test::TempDir& dir,
                                                MetricsRegistry& metrics) {
    auto options = test::store_options(dir, metrics);
    options.database_url = Secret(database_url);
    auto opened = store::WebhookStore::open(options);
    if (!opened) throw std::runtime_error(opened.error().message);
    return std::move(*opened);
}

// One replica: the route as the service wires it, over a store of its own on the shared database.
class Replica {
  public:
    Replica(boost::asio::io_context& io, phone::PhoneCalls& calls, const std::string& database_url)
        : store_(open_store(database_url, dir_, metrics_)),
          claims_(*store_),
          context_{Secret(kSecret),  calls,  claims_,  lines_,
                   accept_session(), clock_, metrics_, io.get_executor()} {
        phone::add_openai_webhook_route(router_, context_);
        ServerConfig config;
        config.port = 0;  // an ephemeral port each: two replicas in one process
        server_ = std::make_unique<server::HttpServer>(io, config, router_, metrics_);
        server_->start();
    }

    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(server_->port()) + "/api/openai/webhook";
    }

  private:
    test::TempDir dir_;
    MetricsRegistry metrics_;
    std::unique_ptr<store::WebhookStore> store_;
    phone::StoreWebhookClaims claims_;
    phone::PhoneLines lines_{5};
    SystemClock clock_;
    phone::OpenAiWebhookRouteContext context_;
    server::Router router_;
    std::unique_ptr<server::HttpServer> server_;
};

class PhoneWebhookReplicas : public ::testing::Test {
  protected:
    ~PhoneWebhookReplicas() override { io.stop(); }

    testing::FakeWebhookDelivery ring() {
        return testing::incoming_call_delivery(fake.calls(), testing::FakeIncomingCall{}, kSecret);
    }

    // Sends `first` to one replica and `second` to the other at the same moment; their outcomes.
    std::multiset<std::string> race(const testing::FakeWebhookDelivery& first,
                                    const testing::FakeWebhookDelivery& second) {
        auto to_a =
            std::async(std::launch::async, [&] { return testing::send_webhook(first, a.url()); });
        auto to_b =
            std::async(std::launch::async, [&] { return testing::send_webhook(second, b.url()); });
        std::multiset<std::string> outcomes;
        for (auto* answer : {&to_a, &to_b}) {
            const auto got = answer->get();
            if (!got) {
                ADD_FAILURE() << "no answer from a replica";
                continue;
            }
            EXPECT_EQ(got->status, 200u) << got->body;
            const json body = json::parse(got->body, nullptr, false);
            outcomes.insert(body.is_object() ? body.value("outcome", "") : "");
        }
        return outcomes;
    }

    void expect_accepted_once(const std::string& call_id) {
        ASSERT_TRUE(test::wait_until(
            [&] { return fake.calls().state(call_id) == testing::FakeCallState::accepted; }));
        EXPECT_EQ(fake.calls().requests(call_id, "accept").size(), 1u);
    }

    test::IoThreads io{2};
    testing::FakeRealtime fake{io.io, testing::FakeRealtimeOptions{.api_key = kKey}};
    bool fake_started = [this] {
        fake.start();
        return true;
    }();
    net::HttpClient http{io.io.get_executor()};
    std::unique_ptr<phone::PhoneCalls> calls = phone::make_openai_phone_calls(
        http, {.api_base_url = fake.rest_url(), .api_key = Secret(kKey)});
    const std::string database_url = test::fresh_database_url();
    Replica a{io.io, *calls, database_url};
    Replica b{io.io, *calls, database_url};
};

TEST_F(PhoneWebhookReplicas, TheSameDeliveryReachingBothReplicasAtOnceIsAcceptedOnce) {
    for (int call = 0; call < 5; ++call) {
        const auto delivery = ring();
        EXPECT_EQ(race(delivery, delivery), (std::multiset<std::string>{"answering", "duplicate"}));
        expect_accepted_once(delivery.call_id);
    }
}

TEST_F(PhoneWebhookReplicas, OneCallUnderTwoWebhookIdsOnTwoReplicasIsAcceptedOnce) {
    for (int call = 0; call < 5; ++call) {
        const auto delivery = ring();
        auto again = delivery;
        again.id = delivery.id + "_again";
        again.signature =
            testing::fake_webhook_signature(kSecret, again.id, again.timestamp, again.body);
        EXPECT_EQ(race(delivery, again), (std::multiset<std::string>{"answering", "duplicate"}));
        expect_accepted_once(delivery.call_id);
    }
}

TEST_F(PhoneWebhookReplicas, ARetryReachingTheOtherReplicaLaterIsADuplicate) {
    const auto delivery = ring();
    const auto first = testing::send_webhook(delivery, a.url());
    ASSERT_TRUE(first);
    EXPECT_EQ(json::parse(first->body).value("outcome", ""), "answering");
    const auto retry = testing::send_webhook(delivery, b.url());
    ASSERT_TRUE(retry);
    EXPECT_EQ(retry->status, 200u);
    EXPECT_EQ(json::parse(retry->body).value("outcome", ""), "duplicate");
    expect_accepted_once(delivery.call_id);
}

}  // namespace
}  // namespace calrt
