// Calendly's rate-limit pauses shared through the store (tools/shared_calendly_pauses.hpp, issue
// 22): two Calendly clients, each over its own store on one database (two replicas), against one
// fake Calendly. A 429 one of them gets holds the other's requests against the same quota, and
// only that quota; a pause that is over holds nothing.
#include <gtest/gtest.h>

#include <memory>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/core/time.hpp"
#include "calrt/store/webhook_store.hpp"
#include "calrt/tools/shared_calendly_pauses.hpp"
#include "support/running_fake_calendly.hpp"
#include "support/store_backend_fixture.hpp"
#include "testing/fake_calendly/fault_plan.hpp"

namespace calrt::tools {
namespace {

using namespace std::chrono_literals;
using calrt::testing::FaultPlan;

class SharedCalendlyPausesTest : public test::StoreBackendTest {
  protected:
    struct Replica {
        std::unique_ptr<store::WebhookStore> store;
        std::unique_ptr<calendly::CalendlyClient> client;
    };

    Replica replica() {
        Replica made;
        auto opened = store::WebhookStore::open(store_options(metrics_));
        EXPECT_TRUE(opened) << opened.error().message;
        if (!opened) return made;
        made.store = std::move(*opened);
        calendly::CalendlyClientOptions options;
        options.base_url = fake_->base_url();
        options.access_token = Secret(fake_->access_token());
        options.http.request_timeout = 2s;
        options.retry.base_delay = 1ms;
        options.retry.max_backoff = 5ms;
        options.retry.deadline = 5s;  // room to wait out a one-second reset, however slow the machine
        options.shared_pauses = std::make_shared<SharedCalendlyPauses>(*made.store);
        made.client = std::make_unique<calendly::CalendlyClient>(fake_.io.get_executor(), std::move(options),
                                                                  metrics_, clock_);
        return made;
    }

    void SetUp() override {
        a_ = replica();
        b_ = replica();
        ASSERT_TRUE(a_.client && b_.client);
    }
    void TearDown() override {
        for (Replica* r : {&a_, &b_}) {
            if (r->client) r->client->stop();
            r->client.reset();
            r->store.reset();
        }
    }

    template <class T>
    T run(boost::asio::awaitable<T> op) {
        return fake_.run(std::move(op));
    }
    calendly::TimeRange next_days(int days) const { return {clock_.now(), clock_.now() + std::chrono::days(days)}; }

    // The fake (and its threads, where the clients' calls and the stores' answers run) outlives
    // the stores and the clients.
    test::RunningFakeCalendly fake_;
    MetricsRegistry metrics_;
    SystemClock clock_;
    Replica a_;
    Replica b_;
};

CALRT_FOR_BOTH_STORE_BACKENDS(SharedCalendlyPausesTest);

TEST_P(SharedCalendlyPausesTest, AReadsPauseOneReplicaLearntHoldsTheOthersReads) {
    fake_->inject("/event_types", FaultPlan::rate_limited(3600s));
    const auto refused = run(a_.client->event_types());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "calendly_rate_limited");
    const auto reads = fake_->request_count("/event_types");
    const auto availability = fake_->request_count("/event_type_available_times");

    // Replica B has never heard from Calendly itself.
    const auto held = run(b_.client->available_times(fake_->active_event_type_uris().front(), next_days(3)));
    ASSERT_FALSE(held);
    EXPECT_EQ(held.error().code, "calendly_rate_limited");
    ASSERT_TRUE(held.error().retry_after);
    EXPECT_GT(*held.error().retry_after, 3000s) << "the pause's end, as replica A learnt it";
    EXPECT_EQ(fake_->request_count("/event_type_available_times"), availability) << "nothing was sent";
    EXPECT_EQ(fake_->request_count("/event_types"), reads);
}

TEST_P(SharedCalendlyPausesTest, ABookingsPauseHoldsTheOthersBookingsButNotTheirReads) {
    const auto type = fake_->active_event_type_uris().front();
    const auto times = run(b_.client->available_times(type, next_days(7)));
    ASSERT_TRUE(times && times->size() >= 2);
    fake_->inject("/invitees", FaultPlan::rate_limited(3600s));
    calendly::InviteeRequest request;
    request.event_type_uri = type;
    request.start_time = (*times)[0].start_time;
    request.name = "Ada Lovelace";
    request.email = "ada@example.com";
    request.timezone = "Europe/London";
    request.location = test::fake_meeting_location();
    ASSERT_FALSE(run(a_.client->create_invitee(request)));
    EXPECT_EQ(fake_->request_count("/invitees"), 1u);

    request.start_time = (*times)[1].start_time;
    const auto held = run(b_.client->create_invitee(request));
    ASSERT_FALSE(held);
    EXPECT_EQ(held.error().code, "calendly_rate_limited");
    EXPECT_EQ(fake_->request_count("/invitees"), 1u) << "replica B's booking was not sent";
    EXPECT_TRUE(run(b_.client->event_types())) << "reads have a quota of their own";
}

TEST_P(SharedCalendlyPausesTest, APauseThatIsOverHoldsNothing) {
    fake_->inject("/event_types", FaultPlan::rate_limited(1s));
    // Replica A waits out the one-second reset itself and gets its answer.
    ASSERT_TRUE(run(a_.client->event_types()));
    const auto types = run(b_.client->event_types());
    EXPECT_TRUE(types) << types.error().message;
}

}  // namespace
}  // namespace calrt::tools
