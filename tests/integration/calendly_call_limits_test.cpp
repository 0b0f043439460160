// The Calendly client shares the host's quota politely, against the fake Calendly over HTTP: at
// most max_concurrent_calls requests in flight, a clear 503 when a call cannot get a slot before
// its deadline, and no request sent only to collect a 429 once Calendly said the budget is used up
// (review M4); and slots reads can never take, so that a booking never waits behind them (N3).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <future>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "support/running_fake_calendly.hpp"
#include "support/running_server.hpp"

namespace calrt::calendly {
namespace {

using namespace std::chrono_literals;
using testing::FaultPlan;

class CalendlyCallLimitsTest : public ::testing::Test {
  protected:
    void start_fake(testing::FakeCalendlyOptions o = {}) {
        fake_ = std::make_unique<test::RunningFakeCalendly>(std::move(o));
    }
    testing::FakeCalendly& fake() { return **fake_; }
    CalendlyClientOptions options() {
        CalendlyClientOptions o;
        o.base_url = fake().base_url();
        o.access_token = Secret(fake().access_token());
        o.http.request_timeout = 2s;
        o.retry.base_delay = 1ms;
        o.retry.max_backoff = 5ms;
        o.retry.deadline = 5s;
        return o;
    }
    CalendlyClient& client(CalendlyClientOptions o) {
        client_ = std::make_unique<CalendlyClient>(fake_->io.get_executor(), std::move(o), metrics,
                                                   clock);
        return *client_;
    }
    // `count` calls of GET /event_types/{uuid} at once; their results in order.
    std::vector<Result<EventType>> event_types_at_once(CalendlyClient& c, std::size_t count) {
        std::vector<std::future<Result<EventType>>> futures;
        for (std::size_t i = 0; i < count; ++i) {
            futures.push_back(
                boost::asio::co_spawn(fake_->io, c.event_type(uuid_), boost::asio::use_future));
        }
        std::vector<Result<EventType>> results;
        for (auto& f : futures) results.push_back(f.get());
        return results;
    }
    std::string event_type_path() const { return "/event_types/" + uuid_; }
    double gauge(std::string_view name) { return metrics.gauge(name, "").value(); }

    std::unique_ptr<test::RunningFakeCalendly> fake_;
    MetricsRegistry metrics;
    SystemClock clock;
    std::unique_ptr<CalendlyClient> client_;
    std::string uuid_;

    void use_first_event_type() { uuid_ = *uuid_from_uri(fake().active_event_type_uris().front()); }
};

TEST_F(CalendlyCallLimitsTest, ConcurrentCallsNeverExceedTheCapAtCalendly) {
    start_fake();
    use_first_event_type();
    fake().inject("/event_types/", FaultPlan::delayed(100ms, 100));
    auto o = options();
    o.max_concurrent_calls = 2;
    o.reserved_write_calls = 0;  // these are reads: let them have both
    auto& c = client(o);

    const auto results = event_types_at_once(c, 6);

    for (const auto& r : results) ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(fake().max_concurrent_requests(), 2u);
    EXPECT_EQ(fake().request_count(event_type_path()), 6u);
    EXPECT_EQ(gauge("calendly_calls_in_flight"), 0.0);
    EXPECT_EQ(gauge("calendly_calls_queued"), 0.0);
}

TEST_F(CalendlyCallLimitsTest, CallQueuedPastItsDeadlineFailsAsBusyAndRetryable) {
    start_fake();
    use_first_event_type();
    // One slot, each request held 300 ms, every call's deadline 1 s: of ten calls at once, at most
    // four can get the slot in time. (A call whose attempt ran into its deadline has released the
    // slot while the fake still holds its request, so the fake's concurrency proves nothing here.)
    fake().inject("/event_types/", FaultPlan::delayed(300ms, 100));
    auto o = options();
    o.max_concurrent_calls = 1;
    o.retry.deadline = 1s;
    auto& c = client(o);

    const auto results = event_types_at_once(c, 10);

    std::size_t busy = 0;
    for (const auto& r : results) {
        if (r || r.error().code != "calendly_busy") continue;
        ++busy;
        EXPECT_EQ(http_status_of(r.error().kind), 503u);
        EXPECT_TRUE(r.error().retry_after.has_value());
    }
    EXPECT_GE(busy, 3u);
    EXPECT_EQ(fake().request_count(event_type_path()), results.size() - busy)
        << "busy calls were never sent, the others once";
}

testing::FakeCalendlyOptions strict_rate_limit(std::uint32_t per_window,
                                               std::chrono::milliseconds window) {
    testing::FakeCalendlyOptions o;
    o.rate_limit_per_minute = per_window;
    o.rate_limit_window = window;
    o.enforce_rate_limit = true;
    return o;
}

TEST_F(CalendlyCallLimitsTest, CallAfterTheBudgetIsUsedUpWaitsForTheResetInsteadOfCollectingA429) {
    start_fake(strict_rate_limit(2, 1s));
    use_first_event_type();
    auto& c = client(options());
    ASSERT_TRUE(fake_->run(c.event_type(uuid_)));
    ASSERT_TRUE(fake_->run(c.event_type(uuid_)));  // X-RateLimit-Remaining: 0

    const auto started = std::chrono::steady_clock::now();
    auto third = fake_->run(c.event_type(uuid_));

    ASSERT_TRUE(third) << third.error().message;
    EXPECT_EQ(fake().request_count(event_type_path()), 3u) << "no request answered 429";
    EXPECT_EQ(metrics.counter("calendly_rate_limit_waits_total", "", {}).value(), 1u);
    EXPECT_EQ(metrics.render().find("outcome=\"429\""), std::string::npos);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 500ms) << "waited for the window's reset";
}

TEST_F(CalendlyCallLimitsTest, ResetAfterTheDeadlineFailsAtOnceWithoutSending) {
    start_fake(strict_rate_limit(1, 30s));
    use_first_event_type();
    auto o = options();
    o.retry.deadline = 500ms;
    auto& c = client(o);
    ASSERT_TRUE(fake_->run(c.event_type(uuid_)));  // X-RateLimit-Remaining: 0

    auto refused = fake_->run(c.event_type(uuid_));

    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "calendly_rate_limited");
    EXPECT_EQ(http_status_of(refused.error().kind), 429u);
    ASSERT_TRUE(refused.error().retry_after.has_value());
    EXPECT_GE(*refused.error().retry_after, 20s);
    EXPECT_EQ(fake().request_count(event_type_path()), 1u);
}

TEST_F(CalendlyCallLimitsTest, ABookingGoesAheadWhileReadsHoldEveryReadSlot) {
    start_fake();
    auto o = options();
    o.availability_cache_ttl = 0ms;  // every read its own Calendly call
    o.http.request_timeout = 5s;
    o.retry.deadline = 15s;
    auto& c = client(o);
    const auto type = fake().active_event_type_uris().front();
    const Timestamp now = clock.now();
    const TimeRange next_days{now, now + std::chrono::days(3)};
    auto open = fake_->run(c.available_times(type, TimeRange{now, now + std::chrono::days(7)}));
    ASSERT_TRUE(open && !open->empty());
    // Ten slow reads: more than the eight call slots, as a burst of public requests would be.
    fake().inject("/event_type_available_times", FaultPlan::delayed(3s, 100));
    std::vector<std::future<Result<std::vector<AvailableTime>>>> reads;
    for (int i = 0; i < 10; ++i) {
        reads.push_back(
            boost::asio::co_spawn(fake_->io, c.available_times(type, next_days), boost::asio::use_future));
    }
    ASSERT_TRUE(test::wait_until([&] {
        return gauge("calendly_calls_in_flight") + gauge("calendly_calls_queued") == 10.0 &&
               gauge("calendly_calls_queued") > 0.0;
    })) << "the reads hold every slot they may and the rest queue";

    const auto started = std::chrono::steady_clock::now();
    auto booked = fake_->run(c.create_invitee(
        {type, open->front().start_time, "Ada", "ada@example.com", "UTC", test::fake_meeting_location()}));
    const auto waited = std::chrono::steady_clock::now() - started;

    ASSERT_TRUE(booked) << booked.error().message;
    EXPECT_LT(waited, 1500ms) << "the booking did not wait for a read to finish (each takes 3 s)";
    EXPECT_EQ(fake().bookings().size(), 1u);
    for (auto& read : reads) read.wait();
}

}  // namespace
}  // namespace calrt::calendly
