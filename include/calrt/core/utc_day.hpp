#pragma once
// The UTC day an instant falls in, for the limits that count per UTC day and start afresh at
// midnight UTC (tools::BookingCaps, the relay's daily minutes), and how long until then.

#include "calrt/core/time.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace calrt {

// Days since the epoch, UTC.
inline std::int64_t utc_day(Timestamp t) {
    return std::chrono::floor<std::chrono::days>(t).time_since_epoch().count();
}

// The first instant of the UTC day `t` falls in.
inline Timestamp utc_midnight_before(Timestamp t) { return std::chrono::floor<std::chrono::days>(t); }

// Whole seconds until the next midnight UTC, at least 1 (a Retry-After of 0 would invite a retry now).
inline std::chrono::seconds until_next_utc_midnight(Timestamp now) {
    const auto wait = std::chrono::ceil<std::chrono::seconds>(utc_midnight_before(now) + std::chrono::days(1) - now);
    return std::max(wait, std::chrono::seconds(1));
}

}  // namespace calrt
