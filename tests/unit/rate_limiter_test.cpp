#include "calrt/server/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace calrt::server {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, AllowsABurstThenRefusesWithRetryAfter) {
    RateLimiter limiter(/*per_minute=*/6, /*burst=*/3);
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    EXPECT_TRUE(limiter.take("1.2.3.4", t0).allowed);
    EXPECT_TRUE(limiter.take("1.2.3.4", t0).allowed);
    EXPECT_TRUE(limiter.take("1.2.3.4", t0).allowed);
    const auto refused = limiter.take("1.2.3.4", t0);
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after, 10s) << "6 a minute: one token every 10 s";
}

TEST(RateLimiter, TokensComeBackOverTime) {
    RateLimiter limiter(6, 1);
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    EXPECT_TRUE(limiter.take("a", t0).allowed);
    EXPECT_FALSE(limiter.take("a", t0 + 5s).allowed);
    EXPECT_TRUE(limiter.take("a", t0 + 11s).allowed);
}

TEST(RateLimiter, KeysAreIndependent) {
    RateLimiter limiter(1, 1);
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    EXPECT_TRUE(limiter.take("a", t0).allowed);
    EXPECT_FALSE(limiter.take("a", t0).allowed);
    EXPECT_TRUE(limiter.take("b", t0).allowed);
}

TEST(RateLimiter, TableStaysBoundedAndForgetsOnlyFullBuckets) {
    RateLimiter limiter(60, 1, /*max_tracked_keys=*/2);
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    EXPECT_TRUE(limiter.take("a", t0).allowed);
    EXPECT_TRUE(limiter.take("b", t0 + 2s).allowed);  // "a" has refilled by now
    EXPECT_TRUE(limiter.take("c", t0 + 2s).allowed);  // evicts full "a", keeps empty "b"
    EXPECT_FALSE(limiter.take("b", t0 + 2s).allowed);
}

TEST(RateLimiter, AFullTableForgetsOnlyTheLeastRecentlyUsedClient) {
    RateLimiter limiter(1, 1, /*max_tracked_keys=*/3);
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    for (const char* key : {"a", "b", "c"}) EXPECT_TRUE(limiter.take(key, t0).allowed);
    EXPECT_FALSE(limiter.take("a", t0).allowed);  // "a" is now the most recently used
    EXPECT_TRUE(limiter.take("d", t0).allowed);   // evicts "b" only
    EXPECT_FALSE(limiter.take("a", t0).allowed) << "a client's limit survives another client's arrival";
    EXPECT_FALSE(limiter.take("c", t0).allowed);
    EXPECT_TRUE(limiter.take("b", t0).allowed) << "the evicted client starts over";
}

}  // namespace
}  // namespace calrt::server
