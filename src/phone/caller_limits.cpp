#include "calrt/phone/caller_limits.hpp"

#include <algorithm>

#include "calrt/core/logging.hpp"
#include "calrt/core/sha256.hpp"
#include "calrt/store/webhook_store.hpp"

namespace calrt::phone {
namespace {

// Windows are whole UTC hours and days since the epoch: every replica computes the same index for
// the same instant, whatever its time zone.
std::int64_t hour_index(Timestamp now) {
    return std::chrono::floor<std::chrono::hours>(now).time_since_epoch().count();
}
std::int64_t day_index(Timestamp now) {
    return std::chrono::floor<std::chrono::days>(now).time_since_epoch().count();
}

// The store sees a number only as its SHA-256: the table never holds it in plain text. (A hash
// of a phone number is pseudonymous, not anonymous: it can be found by hashing candidate
// numbers; the rows expire after store::kSharedStateRetention.) Callers who hide their number
// share one count.
std::string number_key(std::string_view number) {
    return "phone:number:" + sha256_hex(number.empty() ? std::string_view("anonymous") : number);
}

constexpr std::string_view kCallSecondsKey = "phone:call_seconds";

}  // namespace

std::string_view refusal_reason(CallRefusal refusal) {
    switch (refusal) {
        case CallRefusal::none:
            return "";
        case CallRefusal::number_hourly:
            return "number_hourly_limit";
        case CallRefusal::number_daily:
            return "number_daily_limit";
        case CallRefusal::daily_minutes:
            return "daily_minutes_used";
    }
    return "";
}

CallerLimits::CallerLimits(store::WebhookStore& store, CallerLimitsOptions options,
                           const Clock& clock)
    : store_(store), options_(options), clock_(clock) {}

boost::asio::awaitable<Result<CallRefusal>> CallerLimits::admit(std::string number) {
    const Timestamp now = clock_.now();
    const std::int64_t hour = hour_index(now);
    const std::int64_t day = day_index(now);

    if (options_.minutes_per_day > 0) {
        // Amount 0 reads today's use without changing it.
        store::BudgetTake today;
        today.key = std::string(kCallSecondsKey);
        today.window = day;
        const auto seconds = co_await store_.take_budget(std::move(today));
        if (!seconds) co_return seconds.error();
        if (seconds->used >= std::int64_t{options_.minutes_per_day} * 60) {
            co_return CallRefusal::daily_minutes;
        }
    }

    const std::string caller = number_key(number);
    bool counted_this_hour = false;
    if (options_.calls_per_number_per_hour > 0) {
        store::BudgetTake call;
        call.key = caller + ":hour";
        call.window = hour;
        call.amount = 1;
        call.limit = options_.calls_per_number_per_hour;
        const auto hourly = co_await store_.take_budget(std::move(call));
        if (!hourly) co_return hourly.error();
        if (!hourly->allowed) co_return CallRefusal::number_hourly;
        counted_this_hour = true;
    }
    if (options_.calls_per_number_per_day > 0) {
        store::BudgetTake call;
        call.key = caller + ":day";
        call.window = day;
        call.amount = 1;
        call.limit = options_.calls_per_number_per_day;
        const auto daily = co_await store_.take_budget(std::move(call));
        if (!daily || !daily->allowed) {
            // The call is not taken, so it must not use up the caller's hour either.
            if (counted_this_hour) {
                const auto given = co_await store_.give_back_budget(caller + ":hour", hour, 1);
                if (!given) {
                    log::warn("phone: a refused call stays counted in its caller's hour",
                              {{"code", given.error().code}, {"message", given.error().message}});
                }
            }
            if (!daily) co_return daily.error();
            co_return CallRefusal::number_daily;
        }
    }
    co_return CallRefusal::none;
}

boost::asio::awaitable<Result<bool>> CallerLimits::charge_call_time(std::chrono::seconds elapsed) {
    if (options_.minutes_per_day == 0) co_return true;
    // No limit on the take itself: the time has been spent whatever is left, and what is charged
    // beyond the day's minutes refuses the next calls until the day ends.
    store::BudgetTake spent;
    spent.key = std::string(kCallSecondsKey);
    spent.window = day_index(clock_.now());
    spent.amount = std::max<std::int64_t>(elapsed.count(), 0);
    const auto charged = co_await store_.take_budget(std::move(spent));
    if (!charged) co_return charged.error();
    co_return charged->used < std::int64_t{options_.minutes_per_day} * 60;
}

}  // namespace calrt::phone
