#pragma once
// How much one caller, and all callers together, may use the phone line (issue 24): calls per
// number per hour and per UTC day, and minutes of calls per UTC day, counted in the webhook store
// so that every replica on one DATABASE_URL enforces the same limits (store::WebhookStore's
// budgets). A call is a Realtime session the host pays for by the minute, and a caller's number
// is whatever the trunk passes on, so the limits bound the cost of one persistent caller and of a
// day of calls.
//
// Numbers are personal data: the store keeps the SHA-256 of each, never the number.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"

namespace calrt::store {
class WebhookStore;
}

namespace calrt::phone {

struct CallerLimitsOptions {
    unsigned calls_per_number_per_hour = 5;  // PHONE_MAX_CALLS_PER_NUMBER_PER_HOUR; 0: no limit
    unsigned calls_per_number_per_day = 20;  // PHONE_MAX_CALLS_PER_NUMBER_PER_DAY; 0: no limit
    unsigned minutes_per_day = 600;          // PHONE_MAX_MINUTES_PER_DAY, all callers; 0: no limit
};

enum class CallRefusal { none, number_hourly, number_daily, daily_minutes };

// For logs and metrics: "number_hourly_limit", "number_daily_limit", "daily_minutes_used"
// ("" for none).
std::string_view refusal_reason(CallRefusal refusal);

class CallerLimits {
  public:
    // The store and the clock must outlive this object.
    CallerLimits(store::WebhookStore& store, CallerLimitsOptions options, const Clock& clock);

    // Counts one offered call from `number` ("" counts as "anonymous") against its hourly and
    // daily counts and refuses when over either, or when today's minutes are used up. A refused
    // call is not counted. Errors as the store's (unavailable, internal).
    boost::asio::awaitable<Result<CallRefusal>> admit(std::string number);

    // Charges call time to today's (UTC) minutes (kept in seconds); false when the day's minutes
    // are now used up (the call should then end). 0 minutes_per_day = unlimited.
    boost::asio::awaitable<Result<bool>> charge_call_time(std::chrono::seconds elapsed);

  private:
    store::WebhookStore& store_;
    const CallerLimitsOptions options_;
    const Clock& clock_;
};

}  // namespace calrt::phone
