#include "calrt/calendly/availability_windows.hpp"

#include <algorithm>

namespace calrt::calendly {
namespace {

Timestamp round_up(Timestamp t, std::chrono::milliseconds step) {
    if (step.count() <= 0) return t;
    const auto remainder = t.time_since_epoch() % step;
    if (remainder.count() == 0) return t;
    // % keeps the dividend's sign: before the epoch the remainder is negative.
    return t - remainder + (remainder.count() > 0 ? step : std::chrono::milliseconds(0));
}

}  // namespace

Result<std::vector<TimeRange>> split_availability_range(TimeRange requested, Timestamp now,
                                                        const AvailabilityWindowOptions& options) {
    if (requested.end <= requested.start) {
        return Error::make(ErrorKind::invalid_argument, "invalid_time_range",
                           "end_time must be after start_time");
    }
    const Timestamp earliest = now + options.start_margin;
    const Timestamp start =
        requested.start < earliest ? round_up(earliest, options.align) : requested.start;
    std::vector<TimeRange> windows;
    if (requested.end <= start) return windows;
    if (requested.end - start > options.max_range) {
        const auto days = std::chrono::duration_cast<std::chrono::days>(options.max_range).count();
        return Error::make(ErrorKind::invalid_argument, "time_range_too_long",
                           "the time range is longer than " + std::to_string(days) +
                               " days; ask for a shorter range");
    }
    for (Timestamp window_start = start; window_start < requested.end;) {
        const Timestamp window_end = std::min(window_start + options.max_window, requested.end);
        windows.push_back({window_start, window_end});
        window_start = window_end;
    }
    // Asking a little past the end costs nothing: merge_available_times keeps only what was asked.
    TimeRange& last = windows.back();
    last.end = std::min(round_up(last.end, options.align), last.start + options.max_window);
    return windows;
}

std::vector<AvailableTime> merge_available_times(std::vector<std::vector<AvailableTime>> windows,
                                                 TimeRange requested) {
    std::vector<AvailableTime> merged;
    for (auto& window : windows) {
        for (auto& slot : window) {
            if (slot.start_time >= requested.start && slot.start_time < requested.end) {
                merged.push_back(std::move(slot));
            }
        }
    }
    // Stable, so that of two reports of one start the one from the earlier window is kept.
    std::stable_sort(merged.begin(), merged.end(), [](const auto& a, const auto& b) {
        return a.start_time < b.start_time;
    });
    const auto same_start = [](const auto& a, const auto& b) {
        return a.start_time == b.start_time;
    };
    merged.erase(std::unique(merged.begin(), merged.end(), same_start), merged.end());
    return merged;
}

}  // namespace calrt::calendly
