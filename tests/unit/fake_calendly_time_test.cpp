// The fake Calendly's time handling and availability rules, without a server.
#include <gtest/gtest.h>

#include "testing/fake_calendly/availability.hpp"
#include "testing/fake_calendly/calendly_time.hpp"

namespace calrt::testing::fake {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

TimePoint at(int y, unsigned m, unsigned d, int hour, int minute = 0) {
    return sys_days{year{y} / month{m} / day{d}} + hours{hour} + minutes{minute};
}

TEST(CalendlyTime, FormatsLikeCalendlyWithMicroseconds) {
    EXPECT_EQ(format_calendly_time(at(2020, 1, 2, 3, 4) + 5s + 678123us),
              "2020-01-02T03:04:05.678123Z");
    EXPECT_EQ(format_compact_time(at(2020, 1, 2, 20)), "2020-01-02T20:00:00Z");
}

TEST(CalendlyTime, ParsesUtcWithAndWithoutFraction) {
    EXPECT_EQ(parse_rfc3339("2020-01-02T03:04:05Z"), at(2020, 1, 2, 3, 4) + 5s);
    EXPECT_EQ(parse_rfc3339("2020-01-02T03:04:05.678123Z"), at(2020, 1, 2, 3, 4) + 5s + 678123us);
    EXPECT_EQ(parse_rfc3339("2020-01-02T03:04:05.5Z"), at(2020, 1, 2, 3, 4) + 5s + 500ms);
}

TEST(CalendlyTime, ParsesOffsetsIntoUtc) {
    EXPECT_EQ(parse_rfc3339("2020-01-02T09:00:00-05:00"), at(2020, 1, 2, 14));
    EXPECT_EQ(parse_rfc3339("2020-01-02T09:30:00+01:30"), at(2020, 1, 2, 8));
}

TEST(CalendlyTime, ReadsTwentyFourHundredAsNextMidnight) {
    // Calendly's own reference uses "2020-01-07T24:00:00.000000Z" as an end_time.
    EXPECT_EQ(parse_rfc3339("2020-01-07T24:00:00.000000Z"), at(2020, 1, 8, 0));
}

TEST(CalendlyTime, RejectsMalformedTimes) {
    for (const char* text :
         {"", "2020-01-02", "2020-01-02T03:04:05", "2020-13-02T03:04:05Z", "2020-02-30T00:00:00Z",
          "2020-01-02T25:00:00Z", "2020-01-02T03:04:05.Z", "2020-01-02T03:04:05Zjunk",
          "2020-01-02 03:04:05Z"}) {
        EXPECT_FALSE(parse_rfc3339(text).has_value()) << text;
    }
}

TEST(Availability, OffersWeekdayGridSlotsThatFitTheWorkingDay) {
    const WorkingHours hours{14, 22, 30min};
    // 2024-05-10 is a Friday, 2024-05-11/12 the weekend, 2024-05-13 a Monday.
    const auto slots =
        open_slots(hours, 60min, at(2024, 5, 10, 20), at(2024, 5, 13, 15), at(2024, 5, 1, 0), {});
    const std::vector<TimePoint> expected = {at(2024, 5, 10, 20), at(2024, 5, 10, 20, 30),
                                             at(2024, 5, 10, 21), at(2024, 5, 13, 14),
                                             at(2024, 5, 13, 14, 30)};
    EXPECT_EQ(slots, expected);
}

TEST(Availability, LeavesOutThePastAndBusyTimes) {
    const WorkingHours hours{14, 22, 30min};
    const std::vector<BusyInterval> busy = {{at(2024, 5, 13, 15), at(2024, 5, 13, 15, 30)}};
    const auto slots = open_slots(hours, 30min, at(2024, 5, 13, 0), at(2024, 5, 13, 16),
                                  at(2024, 5, 13, 14, 10), busy);
    const std::vector<TimePoint> expected = {at(2024, 5, 13, 14, 30), at(2024, 5, 13, 15, 30)};
    EXPECT_EQ(slots, expected);
}

TEST(Availability, OpenSlotMustBeOnTheGrid) {
    const WorkingHours hours{14, 22, 30min};
    const auto now = at(2024, 5, 1, 0);
    EXPECT_TRUE(is_open_slot(hours, 30min, at(2024, 5, 13, 14, 30), now, {}));
    EXPECT_FALSE(is_open_slot(hours, 30min, at(2024, 5, 13, 14, 15), now, {}));
    EXPECT_FALSE(is_open_slot(hours, 30min, at(2024, 5, 11, 14), now, {}));      // Saturday
    EXPECT_FALSE(is_open_slot(hours, 60min, at(2024, 5, 13, 21, 30), now, {}));  // ends after 22:00
}

}  // namespace
}  // namespace calrt::testing::fake
