#pragma once
// When the fake host can be booked: weekdays, within fixed UTC working hours, on a fixed grid of
// start times, never in the past and never overlapping a meeting already booked. (libstdc++ 12 has
// no time zone database, so the host's hours are expressed in UTC.)

#include <chrono>
#include <vector>

#include "testing/fake_calendly/calendly_time.hpp"

namespace calrt::testing::fake {

struct WorkingHours {
    int start_hour_utc = 14;  // 9:00 in New York (EST)
    int end_hour_utc = 22;    // 17:00 in New York (EST)
    std::chrono::minutes slot_interval{30};
};

struct BusyInterval {
    TimePoint start;
    TimePoint end;
};

// Slot starts in [from, to) that are open for a meeting of `duration`, in ascending order.
std::vector<TimePoint> open_slots(const WorkingHours& hours, std::chrono::minutes duration,
                                  TimePoint from, TimePoint to, TimePoint now,
                                  const std::vector<BusyInterval>& busy);

// Whether `start` is one of the slots open_slots would list.
bool is_open_slot(const WorkingHours& hours, std::chrono::minutes duration, TimePoint start,
                  TimePoint now, const std::vector<BusyInterval>& busy);

}  // namespace calrt::testing::fake
