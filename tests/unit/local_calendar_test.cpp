// Days and spoken times in a zone, as the assistant's tools use them.
#include "tools/local_calendar.hpp"

#include <gtest/gtest.h>

namespace calrt::tools {
namespace {

using namespace std::chrono;

Timestamp at(std::string_view rfc3339) { return parse_rfc3339(rfc3339).value(); }

TimeZone zone(std::string_view name) { return TimeZone::load(name).value(); }

TEST(LocalCalendar, ParsesCalendarDates) {
    auto date = parse_calendar_date("start_date", "2026-05-04");
    ASSERT_TRUE(date);
    EXPECT_EQ(*date, year_month_day(year(2026), May, day(4)));
}

TEST(LocalCalendar, RefusesWhatIsNotAnExistingDate) {
    for (std::string_view text :
         {"2026-02-29", "2026-13-01", "2026-5-4", "May 4", "2026-05-04T00:00:00Z", ""}) {
        auto date = parse_calendar_date("start_date", text);
        ASSERT_FALSE(date) << text;
        EXPECT_EQ(date.error().code, "invalid_date");
        EXPECT_EQ(date.error().details.at(0).parameter, "start_date");
    }
}

TEST(LocalCalendar, DayStartsAtLocalMidnight) {
    const year_month_day may4{year(2026), May, day(4)};
    EXPECT_EQ(start_of_local_day(zone("America/New_York"), may4), at("2026-05-04T04:00:00Z"));
    EXPECT_EQ(start_of_local_day(zone("Asia/Tokyo"), may4), at("2026-05-03T15:00:00Z"));
    EXPECT_EQ(start_of_local_day(TimeZone::utc(), may4), at("2026-05-04T00:00:00Z"));
}

TEST(LocalCalendar, DayWhoseMidnightIsSkippedStartsAtTheTransition) {
    // Brazil began daylight saving time at 00:00 on 2018-11-04: clocks jumped to 01:00.
    const auto sao_paulo = zone("America/Sao_Paulo");
    const Timestamp start =
        start_of_local_day(sao_paulo, year_month_day(year(2018), November, day(4)));
    EXPECT_EQ(start, at("2018-11-04T03:00:00Z"));
    EXPECT_EQ(sao_paulo.to_local(start).to_rfc3339(), "2018-11-04T01:00:00-02:00");
}

TEST(LocalCalendar, LocalDateFollowsTheZone) {
    const Timestamp t = at("2026-05-04T23:30:00Z");
    EXPECT_EQ(local_date(TimeZone::utc(), t), year_month_day(year(2026), May, day(4)));
    EXPECT_EQ(local_date(zone("Asia/Tokyo"), t), year_month_day(year(2026), May, day(5)));
}

TEST(LocalCalendar, SpeaksDatesAndTwelveHourTimes) {
    const auto new_york = zone("America/New_York");
    EXPECT_EQ(spoken_date_time(new_york.to_local(at("2026-05-04T14:00:00Z"))),
              "Monday, May 4 at 10:00 AM EDT");
    EXPECT_EQ(spoken_clock_time(new_york.to_local(at("2026-05-04T04:05:00Z"))), "12:05 AM");
    EXPECT_EQ(spoken_clock_time(new_york.to_local(at("2026-05-04T16:30:00Z"))), "12:30 PM");
    EXPECT_EQ(spoken_clock_time(new_york.to_local(at("2026-05-05T03:59:00Z"))), "11:59 PM");
    EXPECT_EQ(format_date(year_month_day(year(2026), January, day(9))), "2026-01-09");
    EXPECT_EQ(weekday_name(year_month_day(year(2026), January, day(9))), "Friday");
}

}  // namespace
}  // namespace calrt::tools
