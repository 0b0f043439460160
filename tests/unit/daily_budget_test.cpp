#include "calrt/core/daily_budget.hpp"

#include <gtest/gtest.h>

namespace calrt {
namespace {

using namespace std::chrono_literals;

TEST(DailyBudget, RefusesPastTheLimitUntilTheNextUtcDay) {
    ManualClock clock(Timestamp(std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + 23h + 59min));
    DailyBudget budget(2, clock);
    EXPECT_TRUE(budget.take().allowed);
    EXPECT_TRUE(budget.take().allowed);
    const auto refused = budget.take();
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after, 60s);
    clock.advance(61s);
    EXPECT_TRUE(budget.take().allowed);
}

TEST(DailyBudget, AUnitGivenBackCanBeUsedAgain) {
    ManualClock clock(Timestamp(std::chrono::sys_days{std::chrono::year{2026} / 11 / 29}));
    DailyBudget budget(1, clock);
    EXPECT_TRUE(budget.take().allowed);
    budget.give_back();
    EXPECT_TRUE(budget.take().allowed);
    EXPECT_FALSE(budget.take().allowed);
}

}  // namespace
}  // namespace calrt
