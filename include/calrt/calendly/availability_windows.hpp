#pragma once
// Querying availability over ranges longer than Calendly accepts in one call.
// GET /event_type_available_times rejects a start in the past, and its range limit was 7 days
// for years, 31 since 2026-07-09 (developer.calendly.com/release-notes/2026/7/9): ranges are asked
// for in windows of at most 31 days (7 once Calendly refused a longer one), and the answers merged.
//
// The windows lie on a fixed grid, whatever the requested start: consecutive max_window-long
// windows from the start of the current UTC day. Every request of one day that touches a window
// asks Calendly for the same window, so the availability cache answers all but the first (review
// N3: windows keyed on the exact start made every fresh start_time a miss). Only the first window
// of the grid is asked for from a moment after now instead of from midnight: developer.calendly.com,
// "List Event Type Available Times": start_time "Date cannot be in the past".

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
    // Longest range (after moving the start) accepted.
    std::chrono::milliseconds max_range = std::chrono::days(62);
    // How far ahead availability is looked up, counted from the start of the current UTC day: a
    // range is cut off there, and a range starting there or later is refused. It bounds the grid,
    // and so what any mix of requests can cost: with 31-day windows, three Calendly calls per
    // event type per cache lifetime (fourteen with the 7-day fallback). About three months: a
    // range of max_range from today always fits.
    std::chrono::milliseconds max_horizon = std::chrono::days(93);
    // The first window's start, moved past now, is rounded up to a multiple of this. Slots start
    // on whole minutes, so a minute loses none. 0: no rounding.
    std::chrono::milliseconds align = std::chrono::minutes(1);
};

// One window of the grid.
struct AvailabilityWindow {
    // On the grid: the same for every request that touches this window today (the cache's key).
    TimeRange aligned;
    // What Calendly is asked for: `aligned`, its start moved to after now when that is in the past.
    TimeRange asked;

    friend bool operator==(const AvailabilityWindow&, const AvailabilityWindow&) = default;
};

struct AvailabilityPlan {
    std::vector<AvailabilityWindow> windows;
    // The part of the request the windows answer: its start moved to after now, its end cut at
    // the horizon. Slots outside it are dropped (merge_available_times).
    TimeRange answered;
};

// The grid windows covering `requested` from max(start, now + margin) to min(end, horizon).
// No windows when the whole range lies before the (rounded) now + margin.
// Errors: invalid_argument / "invalid_time_range" when end is not after start;
//         invalid_argument / "time_range_too_long" when the range exceeds max_range;
//         invalid_argument / "time_range_too_far" when the range starts at or past the horizon.
Result<AvailabilityPlan> split_availability_range(TimeRange requested, Timestamp now,
                                                  const AvailabilityWindowOptions& options = {});

// The answers of all windows as one list sorted by start_time, each start once (windows that
// touch may both report a slot at their shared boundary), keeping only starts within `answered`.
std::vector<AvailableTime> merge_available_times(std::vector<std::vector<AvailableTime>> windows,
                                                 TimeRange answered);

}  // namespace calrt::calendly
