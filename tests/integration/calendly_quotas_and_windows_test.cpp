// The Calendly client against the fake Calendly over HTTP, for what issue 19 changed: POST
// /invitees' own limits (a booking 429 pauses bookings only; a read 429 never holds a booking), a
// plan that refuses the Scheduling API, cancellations Calendly refuses, and availability asked for
// in 31-day windows, falling back to 7 when Calendly refuses the longer range.
#include <gtest/gtest.h>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/calendly_error.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "support/running_fake_calendly.hpp"

namespace calrt::calendly {
namespace {

using namespace std::chrono_literals;
using testing::FaultPlan;
using testing::FakePlan;

TimeRange days_from_now(const Clock& clock, int days) {
    const Timestamp now = clock.now();
    return {now, now + std::chrono::days(days)};
}

class CalendlyQuotasAndWindowsTest : public ::testing::Test {
  protected:
    void start_fake(testing::FakeCalendlyOptions o = {}) {
        fake_ = std::make_unique<test::RunningFakeCalendly>(std::move(o));
    }
    testing::FakeCalendly& fake() { return **fake_; }
    CalendlyClient& client() {
        CalendlyClientOptions o;
        o.base_url = fake().base_url();
        o.access_token = Secret(fake().access_token());
        o.http.request_timeout = 2s;
        o.retry.base_delay = 1ms;
        o.retry.max_backoff = 5ms;
        o.retry.deadline = 2s;
        client_ = std::make_unique<CalendlyClient>(fake_->io.get_executor(), std::move(o), metrics, clock);
        return *client_;
    }
    template <class T>
    T run(boost::asio::awaitable<T> op) {
        return fake_->run(std::move(op));
    }
    std::size_t availability_calls() { return fake().request_count("/event_type_available_times"); }
    // The first open slot of the first event type in the next week.
    InviteeRequest booking(CalendlyClient& c, std::string email = "ada@example.com") {
        const auto type = fake().active_event_type_uris().front();
        auto times = run(c.available_times(type, days_from_now(clock, 7)));
        EXPECT_TRUE(times && !times->empty());
        InviteeRequest request;
        request.event_type_uri = type;
        request.start_time = times && !times->empty() ? times->front().start_time : clock.now();
        request.name = "Ada Lovelace";
        request.email = std::move(email);
        request.timezone = "Europe/London";
        request.location = test::fake_meeting_location();
        return request;
    }

    std::unique_ptr<test::RunningFakeCalendly> fake_;
    MetricsRegistry metrics;
    SystemClock clock;
    std::unique_ptr<CalendlyClient> client_;
};

TEST_F(CalendlyQuotasAndWindowsTest, AfterABooking429ReadsStillGoButBookingsWait) {
    start_fake();
    auto& c = client();
    const InviteeRequest request = booking(c);
    fake().inject("/invitees", FaultPlan::rate_limited(3600s));

    auto refused = run(c.create_invitee(request));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "calendly_rate_limited");
    EXPECT_EQ(fake().request_count("/invitees"), 1u);

    auto types = run(c.event_types());
    ASSERT_TRUE(types) << types.error().message;
    EXPECT_GE(fake().request_count("/event_types"), 1u) << "reads are not paused by the bookings' limit";
    ASSERT_TRUE(run(c.available_times(request.event_type_uri, days_from_now(clock, 3))));

    auto again = run(c.create_invitee(request));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "calendly_rate_limited");
    ASSERT_TRUE(again.error().retry_after);
    EXPECT_GT(*again.error().retry_after, 3000s);
    EXPECT_EQ(fake().request_count("/invitees"), 1u) << "the paused booking was not sent";
}

TEST_F(CalendlyQuotasAndWindowsTest, AfterARead429ABookingStillGoes) {
    start_fake();
    auto& c = client();
    const InviteeRequest request = booking(c);
    fake().inject("/event_types", FaultPlan::rate_limited(3600s));
    auto types = run(c.event_types());
    ASSERT_FALSE(types);
    EXPECT_EQ(types.error().code, "calendly_rate_limited");
    const auto event_type_reads = fake().request_count("/event_types");

    auto booked = run(c.create_invitee(request));
    ASSERT_TRUE(booked) << booked.error().message;
    EXPECT_EQ(fake().bookings().size(), 1u);

    auto read_again = run(c.event_types());
    ASSERT_FALSE(read_again) << "reads stay paused until the reset";
    EXPECT_EQ(fake().request_count("/event_types"), event_type_reads);
}

TEST_F(CalendlyQuotasAndWindowsTest, TheTrialPlansSixthBookingOfTheDayIsRefusedByCalendly) {
    testing::FakeCalendlyOptions o;
    o.plan = FakePlan::trial;
    start_fake(o);
    auto& c = client();
    for (int i = 0; i < 5; ++i) {
        auto booked = run(c.create_invitee(booking(c, "person" + std::to_string(i) + "@example.com")));
        ASSERT_TRUE(booked) << i << ": " << booked.error().message;
    }
    auto sixth = run(c.create_invitee(booking(c, "sixth@example.com")));
    ASSERT_FALSE(sixth);
    EXPECT_EQ(sixth.error().code, "calendly_rate_limited");
    EXPECT_EQ(fake().bookings().size(), 5u);
    EXPECT_TRUE(run(c.event_types())) << "reads go on";
}

TEST_F(CalendlyQuotasAndWindowsTest, APlanRefusalIsItsOwnErrorAndIsRemembered) {
    testing::FakeCalendlyOptions o;
    o.plan = FakePlan::without_scheduling_api;
    start_fake(o);
    auto& c = client();
    EXPECT_FALSE(c.booking_refused_by_plan());

    auto refused = run(c.create_invitee(booking(c)));

    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "calendly_plan_required");
    EXPECT_EQ(http_status_of(refused.error().kind), 503u);
    EXPECT_NE(refused.error().message.find("link"), std::string::npos) << refused.error().message;
    EXPECT_TRUE(nothing_was_written(refused.error()));
    const auto remembered = c.booking_refused_by_plan();
    ASSERT_TRUE(remembered);
    EXPECT_EQ(remembered->code, "calendly_plan_required");
    EXPECT_TRUE(fake().bookings().empty());
}

TEST_F(CalendlyQuotasAndWindowsTest, CancelingACanceledOrPastEventIsAConflict) {
    start_fake();
    auto& c = client();
    for (const auto& uri : {fake().canceled_event_uri(), fake().past_event_uri()}) {
        auto refused = run(c.cancel_event(*uuid_from_uri(uri), "no longer needed"));
        ASSERT_FALSE(refused) << uri;
        EXPECT_EQ(refused.error().code, "event_not_cancelable") << refused.error().message;
        EXPECT_EQ(http_status_of(refused.error().kind), 409u);
    }
    EXPECT_TRUE(fake().cancellations().empty());
}

TEST_F(CalendlyQuotasAndWindowsTest, FourWeeksOfAvailabilityIsOneCall) {
    start_fake();
    auto& c = client();
    auto times = run(c.available_times(fake().active_event_type_uris().front(), days_from_now(clock, 28)));
    ASSERT_TRUE(times) << times.error().message;
    EXPECT_FALSE(times->empty());
    EXPECT_EQ(availability_calls(), 1u);
    RecordProperty("calendly_calls_for_four_weeks", static_cast<int>(availability_calls()));
}

TEST_F(CalendlyQuotasAndWindowsTest, ARefusedLongRangeFallsBackToSevenDayWindowsForTheProcess) {
    testing::FakeCalendlyOptions o;
    o.max_availability_range = std::chrono::days(7);  // an account the 2026-07-09 change has not reached
    start_fake(o);
    auto& c = client();
    const auto type = fake().active_event_type_uris().front();

    auto first = run(c.available_times(type, days_from_now(clock, 28)));

    ASSERT_TRUE(first) << first.error().message;
    EXPECT_FALSE(first->empty());
    // Four weeks from now touch five windows of the 7-day grid that starts at midnight UTC today.
    EXPECT_EQ(availability_calls(), 6u) << "one refused 31-day window, then five 7-day windows";
    for (std::size_t i = 1; i < first->size(); ++i) EXPECT_LT((*first)[i - 1].start_time, (*first)[i].start_time);

    fake().reset_counts();
    auto second = run(c.available_times(fake().active_event_type_uris()[1], days_from_now(clock, 28)));
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(availability_calls(), 5u) << "remembered: no long window is tried again";
}

TEST_F(CalendlyQuotasAndWindowsTest, ABadRequestAboutSomethingElseIsNotTakenForTheRange) {
    start_fake();
    auto& c = client();
    fake().inject("/event_type_available_times", FaultPlan::bad_request({{"event_type", "is invalid"}}));
    auto refused = run(c.available_times(fake().active_event_type_uris().front(), days_from_now(clock, 28)));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "calendly_rejected");
    EXPECT_EQ(availability_calls(), 1u);
    ASSERT_TRUE(run(c.available_times(fake().active_event_type_uris()[1], days_from_now(clock, 28))));
    EXPECT_EQ(availability_calls(), 2u) << "still one 31-day window";
}

}  // namespace
}  // namespace calrt::calendly
