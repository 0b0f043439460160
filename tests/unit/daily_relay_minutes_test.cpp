// Minutes of relay sessions per client address per UTC day (review N7).
#include "server/daily_relay_minutes.hpp"

#include <gtest/gtest.h>

namespace calrt::server {
namespace {

using namespace std::chrono_literals;

Timestamp at(const char* text) { return *parse_rfc3339(text); }

class RelayDailyMinutesUnitTest : public ::testing::Test {
  protected:
    ManualClock clock{at("2026-12-07T10:00:00Z")};
};

TEST_F(RelayDailyMinutesUnitTest, AnAddressIsRefusedOnceItsMinutesAreUsedUntilMidnightUtc) {
    DailyRelayMinutes minutes(10min, clock);
    Timestamp since = clock.now();
    clock.advance(9min);
    EXPECT_FALSE(minutes.charge("203.0.113.7", since));
    EXPECT_FALSE(minutes.refusal("203.0.113.7"));
    clock.advance(1min);
    EXPECT_TRUE(minutes.charge("203.0.113.7", since));
    EXPECT_EQ(since, clock.now());
    EXPECT_EQ(minutes.refusal("203.0.113.7"), std::chrono::seconds(49'800));  // 10:10 to midnight
    EXPECT_FALSE(minutes.refusal("203.0.113.8"));  // each address has its own minutes
}

TEST_F(RelayDailyMinutesUnitTest, SessionsOfOneAddressAddUp) {
    DailyRelayMinutes minutes(10min, clock);
    Timestamp first = clock.now();
    Timestamp second = clock.now();
    clock.advance(5min);
    EXPECT_FALSE(minutes.charge("203.0.113.7", first));
    EXPECT_TRUE(minutes.charge("203.0.113.7", second));
    EXPECT_EQ(minutes.used("203.0.113.7"), 10min);
}

TEST_F(RelayDailyMinutesUnitTest, ChargingTwiceChargesTheTimeOnce) {
    DailyRelayMinutes minutes(10min, clock);
    Timestamp since = clock.now();
    clock.advance(3min);
    EXPECT_FALSE(minutes.charge("203.0.113.7", since));
    EXPECT_FALSE(minutes.charge("203.0.113.7", since));
    EXPECT_EQ(minutes.used("203.0.113.7"), 3min);
}

TEST_F(RelayDailyMinutesUnitTest, ANewUtcDayStartsAfreshAndASessionAcrossMidnightChargesOnlyTheNewDay) {
    clock.set(at("2026-12-07T23:50:00Z"));
    DailyRelayMinutes minutes(10min, clock);
    Timestamp since = clock.now();
    clock.advance(5min);
    EXPECT_FALSE(minutes.charge("203.0.113.7", since));
    EXPECT_EQ(minutes.used("203.0.113.7"), 5min);
    clock.advance(10min);  // 00:05 on the 8th: of the ten minutes, five are the new day's
    EXPECT_FALSE(minutes.charge("203.0.113.7", since));
    EXPECT_EQ(minutes.used("203.0.113.7"), 5min);

    Timestamp used_up_at_night = at("2026-12-08T00:05:00Z");
    clock.set(at("2026-12-08T23:59:30Z"));
    EXPECT_TRUE(minutes.charge("203.0.113.8", used_up_at_night));
    EXPECT_EQ(minutes.refusal("203.0.113.8"), std::chrono::seconds(30));
    clock.advance(30s);
    EXPECT_FALSE(minutes.refusal("203.0.113.8"));
}

TEST_F(RelayDailyMinutesUnitTest, ZeroMinutesMeansNoCapAndNothingRecorded) {
    DailyRelayMinutes minutes(0min, clock);
    EXPECT_FALSE(minutes.enabled());
    Timestamp since = clock.now();
    clock.advance(24h);
    EXPECT_FALSE(minutes.charge("203.0.113.7", since));
    EXPECT_FALSE(minutes.refusal("203.0.113.7"));
    EXPECT_EQ(minutes.used("203.0.113.7"), 0min);
}

TEST_F(RelayDailyMinutesUnitTest, AFullTableForgetsTheAddressThatUsedLeast) {
    DailyRelayMinutes minutes(10min, clock, 2);
    Timestamp heavy = clock.now();
    clock.advance(10min);
    EXPECT_TRUE(minutes.charge("203.0.113.1", heavy));
    Timestamp light_since = clock.now() - 1min;
    EXPECT_FALSE(minutes.charge("203.0.113.2", light_since));
    Timestamp newcomer = clock.now();
    EXPECT_FALSE(minutes.charge("203.0.113.3", newcomer));
    EXPECT_TRUE(minutes.refusal("203.0.113.1"));  // the one that spent its minutes stays counted
    EXPECT_EQ(minutes.used("203.0.113.2"), 0min);
}

}  // namespace
}  // namespace calrt::server
