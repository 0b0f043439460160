#include "local_calendar.hpp"

#include <array>

#include "calrt/core/input_validation.hpp"

namespace calrt::tools {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> weekday_names{
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> month_names{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

bool read_digits(std::string_view text, std::size_t from, std::size_t count, int& out) {
    out = 0;
    for (std::size_t i = from; i < from + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}

std::string two_digits(unsigned value) {
    return std::string(1, static_cast<char>('0' + value / 10 % 10)) +
           static_cast<char>('0' + value % 10);
}

}  // namespace

Result<year_month_day> parse_calendar_date(std::string_view field, std::string_view text) {
    int y = 0, m = 0, d = 0;
    const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                        read_digits(text, 0, 4, y) && read_digits(text, 5, 2, m) &&
                        read_digits(text, 8, 2, d);
    const year_month_day date{year(y), month(static_cast<unsigned>(m)),
                              day(static_cast<unsigned>(d))};
    if (!shaped || !date.ok()) {
        return invalid_field(field, "invalid_date", "must be a calendar date like 2026-05-04");
    }
    return date;
}

year_month_day local_date(const TimeZone& zone, Timestamp t) {
    return year_month_day{floor<days>(zone.to_local(t).wall_time())};
}

Timestamp start_of_local_day(const TimeZone& zone, year_month_day date) {
    // A midnight skipped by a change to daylight time: the day starts at the change.
    return zone.to_utc(local_time<std::chrono::milliseconds>{local_days{date}.time_since_epoch()});
}

std::string format_date(year_month_day date) {
    std::string out = std::to_string(static_cast<int>(date.year()));
    out += '-' + two_digits(static_cast<unsigned>(date.month())) + '-' +
           two_digits(static_cast<unsigned>(date.day()));
    return out;
}

std::string weekday_name(year_month_day date) {
    return std::string(weekday_names[weekday{sys_days{date}}.c_encoding()]);
}

std::string spoken_date(year_month_day date) {
    return weekday_name(date) + ", " +
           std::string(month_names[static_cast<unsigned>(date.month()) - 1]) + " " +
           std::to_string(static_cast<unsigned>(date.day()));
}

std::string spoken_clock_time(const LocalTime& time) {
    const auto wall = time.wall_time();
    const hh_mm_ss<milliseconds> clock{wall - floor<days>(wall)};
    const auto hour = static_cast<unsigned>(clock.hours().count());
    const unsigned twelve_hour = hour % 12 == 0 ? 12 : hour % 12;
    return std::to_string(twelve_hour) + ":" +
           two_digits(static_cast<unsigned>(clock.minutes().count())) + (hour < 12 ? " AM" : " PM");
}

std::string spoken_date_time(const LocalTime& time) {
    return spoken_date(year_month_day{floor<days>(time.wall_time())}) + " at " +
           spoken_clock_time(time) + " " + time.offset.abbreviation;
}

}  // namespace calrt::tools
