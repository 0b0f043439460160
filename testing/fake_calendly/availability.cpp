#include "testing/fake_calendly/availability.hpp"

namespace calrt::testing::fake {
namespace {

using namespace std::chrono;

bool is_weekday(sys_days day) {
    const unsigned encoding = weekday{day}.c_encoding();  // 0 = Sunday
    return encoding >= 1 && encoding <= 5;
}

bool overlaps_busy(TimePoint start, TimePoint end, const std::vector<BusyInterval>& busy) {
    for (const auto& interval : busy) {
        if (start < interval.end && interval.start < end) return true;
    }
    return false;
}

// Calls `visit(start)` for every grid slot of `day` that fits a meeting of `duration` before the
// end of the working day.
template <class Visit>
void for_each_grid_slot(const WorkingHours& hours, minutes duration, sys_days day, Visit&& visit) {
    if (!is_weekday(day)) return;
    const TimePoint day_start = day + std::chrono::hours(hours.start_hour_utc);
    const TimePoint day_end = day + std::chrono::hours(hours.end_hour_utc);
    for (TimePoint start = day_start; start + duration <= day_end; start += hours.slot_interval)
        visit(start);
}

}  // namespace

std::vector<TimePoint> open_slots(const WorkingHours& hours, minutes duration, TimePoint from,
                                  TimePoint to, TimePoint now,
                                  const std::vector<BusyInterval>& busy) {
    std::vector<TimePoint> slots;
    if (hours.slot_interval <= minutes{0} || to <= from) return slots;
    for (sys_days day = floor<days>(from); day <= floor<days>(to); day += days{1}) {
        for_each_grid_slot(hours, duration, day, [&](TimePoint start) {
            if (start >= from && start < to && start > now &&
                !overlaps_busy(start, start + duration, busy)) {
                slots.push_back(start);
            }
        });
    }
    return slots;
}

bool is_open_slot(const WorkingHours& hours, minutes duration, TimePoint start, TimePoint now,
                  const std::vector<BusyInterval>& busy) {
    bool on_grid = false;
    for_each_grid_slot(hours, duration, floor<days>(start),
                       [&](TimePoint slot) { on_grid = on_grid || slot == start; });
    return on_grid && start > now && !overlaps_busy(start, start + duration, busy);
}

}  // namespace calrt::testing::fake
