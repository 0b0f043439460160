// The fake Calendly's POST /invitees limits by plan (testing/fake_calendly/booking_limits.hpp),
// stepped through with a pinned clock instead of waiting.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/fake_calendly/booking_limits.hpp"

namespace calrt::testing::fake {
namespace {

using namespace std::chrono_literals;

const TimePoint midnight = parse_rfc3339("2026-12-07T00:00:00Z").value();

std::string header(const server::Response& response, std::string_view name) {
    for (const auto& [key, value] : response.headers) {
        if (server::iequals(key, name)) return value;
    }
    return {};
}

// How many bookings `plan` admits one after another at `at`.
int admitted_in_a_row(BookingLimits& limits, FakePlan plan, TimePoint at, int tries) {
    int admitted = 0;
    for (int i = 0; i < tries; ++i) {
        if (!limits.admit(plan, at)) ++admitted;
    }
    return admitted;
}

TEST(FakeBookingLimits, APaidPlanAllowsTenAMinuteFiftyAnHourAHundredADay) {
    BookingLimits limits;
    EXPECT_EQ(admitted_in_a_row(limits, FakePlan::standard, midnight + 30s, 12), 10);
    const auto refused = limits.admit(FakePlan::standard, midnight + 40s);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 429u);
    EXPECT_EQ(header(*refused, "X-RateLimit-Limit"), "10");
    EXPECT_EQ(header(*refused, "X-RateLimit-Remaining"), "0");
    EXPECT_EQ(header(*refused, "X-RateLimit-Reset"), "20");
    EXPECT_EQ(nlohmann::json::parse(refused->body).at("title"), "Too Many Requests");
    // The next minutes: 40 more before the hour's 50 are used up.
    int admitted = 0;
    for (int minute = 1; minute < 10; ++minute) {
        admitted += admitted_in_a_row(limits, FakePlan::standard, midnight + std::chrono::minutes(minute), 10);
    }
    EXPECT_EQ(admitted, 40);
    const auto hour_refusal = limits.admit(FakePlan::standard, midnight + 30min);
    ASSERT_TRUE(hour_refusal);
    EXPECT_EQ(header(*hour_refusal, "X-RateLimit-Limit"), "50");
    EXPECT_EQ(header(*hour_refusal, "X-RateLimit-Reset"), "1800");
    // Later hours: the day's 100 end it.
    admitted = 0;
    for (int hour = 1; hour < 24; ++hour) {
        for (int minute = 0; minute < 6; ++minute) {
            admitted += admitted_in_a_row(limits, FakePlan::standard,
                                          midnight + std::chrono::hours(hour) + std::chrono::minutes(minute), 10);
        }
    }
    EXPECT_EQ(admitted, 50);
    const auto day_refusal = limits.admit(FakePlan::standard, midnight + 23h + 59min);
    ASSERT_TRUE(day_refusal);
    EXPECT_EQ(header(*day_refusal, "X-RateLimit-Limit"), "100");
    EXPECT_FALSE(limits.admit(FakePlan::standard, midnight + 24h)) << "a new UTC day";
}

TEST(FakeBookingLimits, ATrialAllowsFiveADay) {
    BookingLimits limits;
    EXPECT_EQ(admitted_in_a_row(limits, FakePlan::trial, midnight + 1h, 5), 5);
    const auto refused = limits.admit(FakePlan::trial, midnight + 2h);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 429u);
    EXPECT_EQ(header(*refused, "X-RateLimit-Limit"), "5");
    EXPECT_EQ(header(*refused, "X-RateLimit-Reset"), std::to_string(22 * 3600));
}

TEST(FakeBookingLimits, EnterpriseAllowsFiveHundredAMinute) {
    BookingLimits limits;
    EXPECT_EQ(admitted_in_a_row(limits, FakePlan::enterprise, midnight, 501), 500);
    EXPECT_FALSE(limits.admit(FakePlan::enterprise, midnight + 1min));
}

TEST(FakeBookingLimits, APlanWithoutTheSchedulingApiIsRefusedWithCalendlysMessage) {
    BookingLimits limits;
    const auto refused = limits.admit(FakePlan::without_scheduling_api, midnight);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403u);
    const auto body = nlohmann::json::parse(refused->body);
    EXPECT_EQ(body.at("title"), "Permission Denied");
    EXPECT_EQ(body.at("message"), "Please upgrade to a paid Calendly account.");
}

TEST(FakeBookingLimits, FreeBooksWithoutAnEndpointLimit) {
    BookingLimits limits;
    EXPECT_EQ(admitted_in_a_row(limits, FakePlan::free, midnight, 200), 200);
}

}  // namespace
}  // namespace calrt::testing::fake
