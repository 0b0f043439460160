#pragma once
// Querying availability over ranges longer than Calendly accepts in one call.
// GET /event_type_available_times rejects a start in the past, and its range limit was 7 days
// for years, 31 since 2026-07-09 (developer.calendly.com/release-notes/2026/7/9): ranges are asked
// for in windows of at most 31 days (7 once Calendly refused a longer one), and the answers merged.

#include "calrt/calendly/models.hpp"
#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"

#include <chrono>
#include <vector>

namespace calrt::calendly {

// The half-open interval [start, end).
struct TimeRange {
    Timestamp start;
    Timestamp end;

    friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

struct AvailabilityWindowOptions {
    std::chrono::milliseconds max_window = std::chrono::days(31);
    // The window CalendlyClient falls back to, for the rest of the process, when Calendly answers
    // 400 about a longer range (the limit before 2026-07-09). split_availability_range ignores it.
    std::chrono::milliseconds fallback_window = std::chrono::days(7);
    // A start at or before now is moved to now + start_margin, so that it is still in the future
    // when the request reaches Calendly.
    std::chrono::milliseconds start_margin = std::chrono::minutes(1);
    // Longest range (after moving the start) accepted: each window is one Calendly call.
    std::chrono::milliseconds max_range = std::chrono::days(62);
    // A moved start is rounded up, and the last window's end rounded up (within max_window), to a
    // multiple of this, so that requests made moments apart ask for the same windows and the
    // availability cache answers them. Slots start on whole minutes, so a minute loses none. 0:
    // no rounding.
    std::chrono::milliseconds align = std::chrono::minutes(1);
};

// Consecutive windows covering `requested` from max(start, now + margin) to end, each at most
// max_window long, rounded as `align` says. Empty when the whole range lies before the (rounded)
// now + margin.
// Errors: invalid_argument / "invalid_time_range" when end is not after start;
//         invalid_argument / "time_range_too_long" when the range exceeds max_range.
Result<std::vector<TimeRange>> split_availability_range(
    TimeRange requested, Timestamp now, const AvailabilityWindowOptions& options = {});

// The answers of all windows as one list sorted by start_time, each start once (windows that
// touch may both report a slot at their shared boundary), keeping only starts within `requested`.
std::vector<AvailableTime> merge_available_times(std::vector<std::vector<AvailableTime>> windows,
                                                 TimeRange requested);

}  // namespace calrt::calendly
