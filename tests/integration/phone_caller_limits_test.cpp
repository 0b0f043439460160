// CallerLimits over the real webhook store, on both backends (issue 24): calls per number per hour
// and per UTC day, callers without a number, the day's minutes, and two CallerLimits on two stores
// on one database (two replicas) sharing one count.
#include <gtest/gtest.h>

#include <future>
#include <vector>

#include "calrt/core/sha256.hpp"
#include "calrt/core/time.hpp"
#include "calrt/phone/caller_limits.hpp"
#include "calrt/store/webhook_store.hpp"
#include "support/io_threads.hpp"
#include "support/store_backend_fixture.hpp"

namespace calrt::phone {
namespace {

using namespace std::chrono_literals;

// 2027-01-15T10:00:00Z: windows are whole UTC hours and days.
const Timestamp kMorning =
    Timestamp(std::chrono::sys_days(std::chrono::year(2027) / 1 / 15)) + std::chrono::hours(10);

constexpr std::string_view kAda = "+14155550101";
constexpr std::string_view kBob = "+442071838750";

class PhoneCallerLimits : public test::StoreBackendTest {
  protected:
    std::unique_ptr<store::WebhookStore> open_store() {
        auto opened = store::WebhookStore::open(store_options(metrics_));
        EXPECT_TRUE(opened) << opened.error().message;
        return opened ? std::move(*opened) : nullptr;
    }

    void SetUp() override {
        store_ = open_store();
        ASSERT_TRUE(store_);
    }

    CallRefusal admit(CallerLimits& limits, std::string_view number) {
        const auto admitted = io_.run(limits.admit(std::string(number)));
        EXPECT_TRUE(admitted) << admitted.error().message;
        return admitted ? *admitted : CallRefusal::none;
    }

    bool charge(CallerLimits& limits, std::chrono::seconds elapsed) {
        const auto charged = io_.run(limits.charge_call_time(elapsed));
        EXPECT_TRUE(charged) << charged.error().message;
        return charged && *charged;
    }

    // Declared before the stores: they must go before the io_context (webhook_store.hpp).
    test::IoThreads io_{4};
    MetricsRegistry metrics_;
    ManualClock clock_{kMorning};
    std::unique_ptr<store::WebhookStore> store_;
};

CALRT_FOR_BOTH_STORE_BACKENDS(PhoneCallerLimits);

TEST_P(PhoneCallerLimits, ANumberIsRefusedPastItsHourlyLimitUntilTheNextHour) {
    CallerLimits limits(*store_, {.calls_per_number_per_hour = 3, .calls_per_number_per_day = 20},
                        clock_);
    for (int call = 1; call <= 3; ++call) EXPECT_EQ(admit(limits, kAda), CallRefusal::none) << call;
    EXPECT_EQ(admit(limits, kAda), CallRefusal::number_hourly);
    EXPECT_EQ(admit(limits, kBob), CallRefusal::none) << "another number has its own count";

    clock_.advance(59min);
    EXPECT_EQ(admit(limits, kAda), CallRefusal::number_hourly) << "still 10:59";
    clock_.advance(1min);
    EXPECT_EQ(admit(limits, kAda), CallRefusal::none) << "11:00 is a new hour";
}

TEST_P(PhoneCallerLimits, ANumberIsRefusedPastItsDailyLimitUntilTheNextUtcDay) {
    CallerLimits limits(*store_, {.calls_per_number_per_hour = 2, .calls_per_number_per_day = 3},
                        clock_);
    EXPECT_EQ(admit(limits, kAda), CallRefusal::none);
    EXPECT_EQ(admit(limits, kAda), CallRefusal::none);
    EXPECT_EQ(admit(limits, kAda), CallRefusal::number_hourly)
        << "refused by the hour: not counted against the day";
    clock_.advance(1h);
    EXPECT_EQ(admit(limits, kAda), CallRefusal::none) << "the day's third call";
    EXPECT_EQ(admit(limits, kAda), CallRefusal::number_daily);

    // The daily refusal did not use up a call of this hour: a limit without a daily cap, on the
    // same counts, still has one call left in it.
    CallerLimits hourly_only(
        *store_, {.calls_per_number_per_hour = 2, .calls_per_number_per_day = 0}, clock_);
    EXPECT_EQ(admit(hourly_only, kAda), CallRefusal::none);
    EXPECT_EQ(admit(hourly_only, kAda), CallRefusal::number_hourly);

    clock_.set(Timestamp(std::chrono::sys_days(std::chrono::year(2027) / 1 / 16)));
    EXPECT_EQ(admit(limits, kAda), CallRefusal::none) << "midnight UTC starts a new day";
}

TEST_P(PhoneCallerLimits, CallersWithoutANumberShareOneCount) {
    CallerLimits limits(*store_, {.calls_per_number_per_hour = 2, .calls_per_number_per_day = 20},
                        clock_);
    EXPECT_EQ(admit(limits, ""), CallRefusal::none);
    EXPECT_EQ(admit(limits, ""), CallRefusal::none);
    EXPECT_EQ(admit(limits, ""), CallRefusal::number_hourly);
    EXPECT_EQ(admit(limits, "anonymous"), CallRefusal::number_hourly)
        << "a From of 'anonymous' is the same caller as no number";
    EXPECT_EQ(admit(limits, kAda), CallRefusal::none);
}

TEST_P(PhoneCallerLimits, ZeroPerNumberLimitsCountNothingAndRefuseNothing) {
    CallerLimits limits(*store_, {.calls_per_number_per_hour = 0, .calls_per_number_per_day = 0},
                        clock_);
    for (int call = 1; call <= 30; ++call)
        EXPECT_EQ(admit(limits, kAda), CallRefusal::none) << call;
}

TEST_P(PhoneCallerLimits, TheStoreKeepsTheHashOfANumberNeverTheNumber) {
    CallerLimits limits(*store_, {}, clock_);
    ASSERT_EQ(admit(limits, kAda), CallRefusal::none);
    EXPECT_EQ(query_text(*store_,
                         "SELECT count(*) FROM shared_budgets WHERE budget_key LIKE '%5550101%'"),
              "0");
    EXPECT_EQ(query_text(*store_, "SELECT count(*) FROM shared_budgets WHERE budget_key LIKE '%" +
                                      sha256_hex(kAda) + "%'"),
              "2")
        << "its hour and its day";
}

TEST_P(PhoneCallerLimits, WhenTheDaysMinutesAreUsedUpCallsAreRefusedUntilTheNextDay) {
    CallerLimits limits(*store_, {.minutes_per_day = 2}, clock_);
    EXPECT_TRUE(charge(limits, 60s));
    EXPECT_EQ(admit(limits, kAda), CallRefusal::none) << "a minute is left";
    EXPECT_TRUE(charge(limits, 59s));
    EXPECT_FALSE(charge(limits, 1s)) << "the second minute is now used up: the call should end";
    EXPECT_EQ(admit(limits, kBob), CallRefusal::daily_minutes);
    EXPECT_FALSE(charge(limits, 30s)) << "time still spent is charged, and the day stays used up";

    clock_.set(Timestamp(std::chrono::sys_days(std::chrono::year(2027) / 1 / 16)));
    EXPECT_EQ(admit(limits, kBob), CallRefusal::none);
    EXPECT_TRUE(charge(limits, 90s));
}

TEST_P(PhoneCallerLimits, ARefusalForTheDaysMinutesCountsNoCall) {
    CallerLimits limits(*store_, {.calls_per_number_per_hour = 1, .minutes_per_day = 1}, clock_);
    EXPECT_FALSE(charge(limits, 60s));
    EXPECT_EQ(admit(limits, kAda), CallRefusal::daily_minutes);
    CallerLimits without_minutes(*store_, {.calls_per_number_per_hour = 1, .minutes_per_day = 0},
                                 clock_);
    EXPECT_EQ(admit(without_minutes, kAda), CallRefusal::none)
        << "the refused call did not use the number's one call this hour";
}

TEST_P(PhoneCallerLimits, ZeroMinutesPerDayIsUnlimited) {
    CallerLimits limits(*store_, {.minutes_per_day = 0}, clock_);
    EXPECT_TRUE(charge(limits, std::chrono::hours(48)));
    EXPECT_EQ(admit(limits, kAda), CallRefusal::none);
}

TEST_P(PhoneCallerLimits, TwoReplicasOnOneDatabaseShareTheCountsAndTheMinutes) {
    auto other_store = open_store();
    ASSERT_TRUE(other_store);
    const CallerLimitsOptions options{
        .calls_per_number_per_hour = 3, .calls_per_number_per_day = 20, .minutes_per_day = 10};
    CallerLimits first(*store_, options, clock_);
    CallerLimits second(*other_store, options, clock_);

    // The same caller ringing both replicas at once, ten times each: three calls in all.
    std::vector<std::future<Result<CallRefusal>>> offered;
    for (int call = 0; call < 10; ++call) {
        offered.push_back(io_.spawn(first.admit(std::string(kAda))));
        offered.push_back(io_.spawn(second.admit(std::string(kAda))));
    }
    int admitted = 0;
    for (auto& pending : offered) {
        const auto refusal = pending.get();
        ASSERT_TRUE(refusal) << refusal.error().message;
        if (*refusal == CallRefusal::none) {
            ++admitted;
        } else {
            EXPECT_EQ(*refusal, CallRefusal::number_hourly);
        }
    }
    EXPECT_EQ(admitted, 3);

    EXPECT_TRUE(charge(first, 9min));
    EXPECT_FALSE(charge(second, 1min)) << "the minutes of both replicas add up";
    EXPECT_EQ(admit(first, kBob), CallRefusal::daily_minutes);
}

TEST(PhoneCallRefusal, ReasonsNameEachLimit) {
    EXPECT_EQ(refusal_reason(CallRefusal::none), "");
    EXPECT_EQ(refusal_reason(CallRefusal::number_hourly), "number_hourly_limit");
    EXPECT_EQ(refusal_reason(CallRefusal::number_daily), "number_daily_limit");
    EXPECT_EQ(refusal_reason(CallRefusal::daily_minutes), "daily_minutes_used");
}

}  // namespace
}  // namespace calrt::phone
