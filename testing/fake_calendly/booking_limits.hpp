#pragma once
// POST /invitees' own limits by the host's plan, as Calendly enforces them
// (developer.calendly.com/release-notes/2026/4/15, "Create Event Invitee (Scheduling API)", and
// "Endpoint Specific Rate Limits" on /api-docs/overview/rate-limits):
//   Trial                  5 requests per user per day
//   Paid, Non-Enterprise  10 per minute, 50 per hour, 100 per day
//   Enterprise           500 per minute
// A request past a limit answers 429 with X-RateLimit-Limit (the limit hit), X-RateLimit-Remaining
// 0 and X-RateLimit-Reset (seconds until that window ends), as the rate limits page shows.
// Since developer.calendly.com/release-notes/2026/11/3 the Free plan may book too ("subject to
// endpoint-specific rate limits", which the page does not list: the fake applies none); a plan
// Calendly refuses the Scheduling API (FakePlan::without_scheduling_api, what Free was before)
// answers 403 Permission Denied "Please upgrade to a paid Calendly account." (the message that
// note gives "for a plan that is not allowed").
//
// Windows are fixed (the minute, the hour, the UTC day), which Calendly does not document; each
// request that is not refused counts, whatever its outcome. Thread-safe.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "calrt/server/http_message.hpp"
#include "testing/fake_calendly/calendly_time.hpp"
#include "testing/fake_calendly/fake_calendly_options.hpp"

namespace calrt::testing::fake {

struct BookingLimit {
    std::chrono::seconds window;
    std::uint32_t requests;
};

// The limits of `plan`, shortest window first; none for free.
std::vector<BookingLimit> booking_limits_of(FakePlan plan);

class BookingLimits {
  public:
    // Counts one POST /invitees at `now` for `plan`, or the 403/429 response refusing it.
    std::optional<server::Response> admit(FakePlan plan, TimePoint now);

  private:
    struct Window {
        std::int64_t index = -1;  // which window (since the epoch) `used` counts
        std::uint32_t used = 0;
    };
    std::mutex mutex_;
    std::vector<Window> windows_;  // one per limit of the plan last seen
};

}  // namespace calrt::testing::fake
