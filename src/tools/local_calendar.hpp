#pragma once
// Days and times as a person in some time zone sees them: the calendar date an instant falls on
// there, where a local day starts, and the words the assistant says ("Monday, May 4", "10:00 AM").
// Spoken names are English and fixed (not the process locale): the assistant's instructions are
// English too.

#include <chrono>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"
#include "calrt/core/time_zone.hpp"

namespace calrt::tools {

// "YYYY-MM-DD" (RFC 3339 full-date), a date that exists.
// Errors: invalid_argument / "invalid_date", naming `field`.
Result<std::chrono::year_month_day> parse_calendar_date(std::string_view field,
                                                        std::string_view text);

// The date `t` falls on in `zone`.
std::chrono::year_month_day local_date(const TimeZone& zone, Timestamp t);

// The first instant of `date` in `zone` (local midnight; where a DST change skips midnight, the
// first instant of that day that exists).
Timestamp start_of_local_day(const TimeZone& zone, std::chrono::year_month_day date);

std::string format_date(std::chrono::year_month_day date);   // "2026-05-04"
std::string weekday_name(std::chrono::year_month_day date);  // "Monday"
std::string spoken_date(std::chrono::year_month_day date);   // "Monday, May 4"
std::string spoken_clock_time(const LocalTime& time);        // "10:00 AM"
std::string spoken_date_time(const LocalTime& time);         // "Monday, May 4 at 10:00 AM EDT"

}  // namespace calrt::tools
