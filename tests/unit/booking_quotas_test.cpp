#include "calrt/core/booking_quotas.hpp"

#include <gtest/gtest.h>

namespace calrt {
namespace {

using namespace std::chrono_literals;

Timestamp late_on_a_day() {
    return Timestamp(std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + 23h + 59min);
}

TEST(BookingQuotas, OneAddressIsRefusedPastItsCapUntilTheNextUtcDay) {
    ManualClock clock(late_on_a_day());
    BookingQuotas quotas(2, 0, clock);
    EXPECT_TRUE(quotas.take("198.51.100.7", "a@example.com"));
    EXPECT_TRUE(quotas.take("198.51.100.7", "b@example.com"));
    const auto refused = quotas.take("198.51.100.7", "c@example.com");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "booking_quota_exceeded");
    EXPECT_EQ(refused.error().kind, ErrorKind::rate_limited);
    EXPECT_EQ(refused.error().retry_after, 60s);
    EXPECT_TRUE(quotas.take("203.0.113.9", "c@example.com")) << "another address has its own cap";
    clock.advance(61s);
    EXPECT_TRUE(quotas.take("198.51.100.7", "d@example.com"));
}

TEST(BookingQuotas, OneEmailIsRefusedPastItsCapWhateverItsCase) {
    ManualClock clock(late_on_a_day());
    BookingQuotas quotas(0, 1, clock);
    EXPECT_TRUE(quotas.take("198.51.100.7", "Ada@Example.com"));
    EXPECT_FALSE(quotas.take("203.0.113.9", "ada@example.com"));
    EXPECT_TRUE(quotas.take("203.0.113.9", "bob@example.com"));
}

TEST(BookingQuotas, ARefusalTakesNothingAndAGivenBackTurnCanBeUsedAgain) {
    ManualClock clock(late_on_a_day());
    BookingQuotas quotas(1, 1, clock);
    EXPECT_TRUE(quotas.take("198.51.100.7", "ada@example.com"));
    // Refused for the address: the email's count must not grow.
    EXPECT_FALSE(quotas.take("198.51.100.7", "bob@example.com"));
    EXPECT_TRUE(quotas.take("203.0.113.9", "bob@example.com"));
    quotas.give_back("198.51.100.7", "ada@example.com");
    EXPECT_TRUE(quotas.take("198.51.100.7", "ada@example.com"));
}

TEST(BookingQuotas, ZeroAndAnEmptyKeyAreNotCounted) {
    ManualClock clock(late_on_a_day());
    BookingQuotas quotas(0, 0, clock);
    for (int i = 0; i < 10; ++i) EXPECT_TRUE(quotas.take("198.51.100.7", "ada@example.com"));
    BookingQuotas per_address(1, 1, clock);
    EXPECT_TRUE(per_address.take("", "a@example.com"));
    EXPECT_TRUE(per_address.take("", "b@example.com"));
}

}  // namespace
}  // namespace calrt
