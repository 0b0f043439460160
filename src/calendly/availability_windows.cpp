#include "calrt/calendly/availability_windows.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace calrt::calendly {
namespace {

Timestamp round_up(Timestamp t, std::chrono::milliseconds step) {
    if (step.count() <= 0) return t;
    const auto remainder = t.time_since_epoch() % step;
    if (remainder.count() == 0) return t;
    // % keeps the dividend's sign: before the epoch the remainder is negative.
    return t - remainder + (remainder.count() > 0 ? step : std::chrono::milliseconds(0));
}

std::int64_t whole_days(std::chrono::milliseconds span) {
    return std::chrono::duration_cast<std::chrono::days>(span).count();
}

}  // namespace

Result<AvailabilityPlan> split_availability_range(TimeRange requested, Timestamp now,
                                                  const AvailabilityWindowOptions& options) {
    if (requested.end <= requested.start) {
        return Error::make(ErrorKind::invalid_argument, "invalid_time_range",
                           "end_time must be after start_time");
    }
    const Timestamp earliest = round_up(now + options.start_margin, options.align);
    const Timestamp start = std::max(requested.start, earliest);
    AvailabilityPlan plan{{}, {start, requested.end}};
    if (requested.end <= start) return plan;
    if (requested.end - start > options.max_range) {
        return Error::make(ErrorKind::invalid_argument, "time_range_too_long",
                           "the time range is longer than " + std::to_string(whole_days(options.max_range)) +
                               " days; ask for a shorter range");
    }
    // The grid starts at midnight UTC today, so every request made today shares its windows.
    const Timestamp today = std::chrono::floor<std::chrono::days>(now);
    const Timestamp horizon = today + options.max_horizon;
    if (start >= horizon) {
        return Error::make(ErrorKind::invalid_argument, "time_range_too_far",
                           "open times are looked up at most " + std::to_string(whole_days(options.max_horizon)) +
                                " days ahead; ask for an earlier start");
    }
    plan.answered.end = std::min(requested.end, horizon);

    const auto window = std::max(options.max_window, std::chrono::milliseconds(1));
    for (auto index = (start - today) / window; today + index * window < plan.answered.end; ++index) {
        const TimeRange aligned{today + index * window, today + (index + 1) * window};
        // Only the grid's first window can begin before now; Calendly refuses a start in the past.
        const TimeRange asked{std::max(aligned.start, earliest), aligned.end};
        if (asked.start < asked.end) plan.windows.push_back({aligned, asked});
    }
    return plan;
}

std::vector<AvailableTime> merge_available_times(std::vector<std::vector<AvailableTime>> windows,
                                                 TimeRange answered) {
    std::vector<AvailableTime> merged;
    for (auto& window : windows) {
        for (auto& slot : window) {
            if (slot.start_time >= answered.start && slot.start_time < answered.end) {
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
