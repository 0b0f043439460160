#pragma once
// Calendly's timestamps: RFC 3339 in UTC with microseconds ("2020-01-02T03:04:05.678123Z") on the
// way out; any RFC 3339 date-time with a zone on the way in. libstdc++ 12 has neither
// std::chrono::parse nor a time zone database, so both directions are written here over the
// civil-calendar types it does have.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace calrt::testing::fake {

using TimePoint = std::chrono::system_clock::time_point;

// "2020-01-02T03:04:05.678123Z", as every Calendly resource writes its times.
std::string format_calendly_time(TimePoint time);
// "2020-01-02T20:00:00Z", as Calendly writes the time in a scheduling_url.
std::string format_compact_time(TimePoint time);
// "2020-01-02"
std::string format_date(TimePoint time);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"; 24:00:00 means the next midnight.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

std::int64_t unix_seconds(TimePoint time);

}  // namespace calrt::testing::fake
