#include "calrt/core/time.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace calrt {
namespace {

using namespace std::chrono;

Timestamp utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
    return Timestamp(sys_days{year(y) / month(mo) / day(d)}) + hours(h) + minutes(mi) + seconds(s) +
           milliseconds(ms);
}

TEST(ParseRfc3339, ReadsUtcWithZ) {
    auto t = parse_rfc3339("2024-05-01T09:30:00Z");
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(*t, utc(2024, 5, 1, 9, 30));
}

TEST(ParseRfc3339, TruncatesMicrosecondsToMilliseconds) {
    EXPECT_EQ(parse_rfc3339("2024-05-01T09:30:00.123456Z").value(), utc(2024, 5, 1, 9, 30, 0, 123));
    EXPECT_EQ(parse_rfc3339("2024-05-01T09:30:00.5Z").value(), utc(2024, 5, 1, 9, 30, 0, 500));
    EXPECT_EQ(parse_rfc3339("2024-05-01T09:30:00.000000Z").value(), utc(2024, 5, 1, 9, 30));
}

TEST(ParseRfc3339, AppliesPositiveAndNegativeOffsets) {
    EXPECT_EQ(parse_rfc3339("2024-05-01T11:30:00+02:00").value(), utc(2024, 5, 1, 9, 30));
    EXPECT_EQ(parse_rfc3339("2024-05-01T04:00:00-05:30").value(), utc(2024, 5, 1, 9, 30));
    EXPECT_EQ(parse_rfc3339("2024-01-01T00:30:00+01:00").value(), utc(2023, 12, 31, 23, 30));
    EXPECT_EQ(parse_rfc3339("2024-05-01T09:30:00-00:00").value(), utc(2024, 5, 1, 9, 30));
}

TEST(ParseRfc3339, AcceptsLowerCaseSeparatorAndZulu) {
    EXPECT_EQ(parse_rfc3339("2024-05-01t09:30:00z").value(), utc(2024, 5, 1, 9, 30));
}

TEST(ParseRfc3339, AcceptsLeapDayInLeapYearOnly) {
    EXPECT_TRUE(parse_rfc3339("2024-02-29T00:00:00Z"));
    EXPECT_TRUE(parse_rfc3339("2000-02-29T00:00:00Z"));
    EXPECT_FALSE(parse_rfc3339("2023-02-29T00:00:00Z"));
    EXPECT_FALSE(parse_rfc3339("1900-02-29T00:00:00Z"));
}

TEST(ParseRfc3339, RejectsMissingOffset) {
    auto t = parse_rfc3339("2024-05-01T09:30:00");
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(t.error().code, "invalid_timestamp");
    EXPECT_NE(t.error().message.find("offset is missing"), std::string::npos) << t.error().message;
}

TEST(ParseRfc3339, RejectsImpossibleDates) {
    EXPECT_FALSE(parse_rfc3339("2024-02-30T09:30:00Z"));
    EXPECT_FALSE(parse_rfc3339("2024-04-31T09:30:00Z"));
    EXPECT_FALSE(parse_rfc3339("2024-00-10T09:30:00Z"));
    EXPECT_FALSE(parse_rfc3339("2024-13-10T09:30:00Z"));
    EXPECT_FALSE(parse_rfc3339("2024-05-00T09:30:00Z"));
}

TEST(ParseRfc3339, RejectsOutOfRangeTimeAndOffsetFields) {
    EXPECT_FALSE(parse_rfc3339("2024-05-01T24:00:00Z"));
    EXPECT_FALSE(parse_rfc3339("2024-05-01T09:60:00Z"));
    EXPECT_FALSE(parse_rfc3339("2024-05-01T09:30:61Z"));
    EXPECT_FALSE(parse_rfc3339("2024-05-01T09:30:00+24:00"));
    EXPECT_FALSE(parse_rfc3339("2024-05-01T09:30:00+02:60"));
}

TEST(ParseRfc3339, RejectsLeapSecondWithAClearMessage) {
    auto t = parse_rfc3339("2016-12-31T23:59:60Z");
    ASSERT_FALSE(t);
    EXPECT_NE(t.error().message.find("leap second"), std::string::npos);
}

TEST(ParseRfc3339, RejectsMalformedText) {
    for (const char* text :
         {"", "2024-05-01", "2024-5-01T09:30:00Z", "2024-05-01 09:30:00Z", "2024-05-01T09:30Z",
          "2024-05-01T09:30:00.Z", "2024-05-01T09:30:00+0200", "2024-05-01T09:30:00Z ",
          " 2024-05-01T09:30:00Z", "20x4-05-01T09:30:00Z", "2024-05-01T09:30:00+02",
          "2024-05-01T09:30:00UTC"}) {
        EXPECT_FALSE(parse_rfc3339(text)) << text;
    }
}

TEST(ParseRfc3339, DoesNotEchoHugeInput) {
    const std::string huge(10'000, '9');
    auto t = parse_rfc3339(huge);
    ASSERT_FALSE(t);
    EXPECT_LT(t.error().message.size(), 200u);
}

TEST(FormatRfc3339, PlainUtcHasNoFractionForWholeSeconds) {
    EXPECT_EQ(format_rfc3339(utc(2024, 5, 1, 9, 30)), "2024-05-01T09:30:00Z");
    EXPECT_EQ(format_rfc3339(utc(2024, 5, 1, 9, 30, 5, 250)), "2024-05-01T09:30:05.250Z");
    EXPECT_EQ(format_rfc3339(utc(1969, 12, 31, 23, 59, 59, 999)), "1969-12-31T23:59:59.999Z");
}

TEST(FormatRfc3339, CalendlyStyleAlwaysHasSixFractionalDigits) {
    EXPECT_EQ(format_calendly_time(utc(2024, 5, 1, 9, 30)), "2024-05-01T09:30:00.000000Z");
    EXPECT_EQ(format_calendly_time(utc(2024, 5, 1, 9, 30, 0, 7)), "2024-05-01T09:30:00.007000Z");
}

TEST(FormatRfc3339, WithOffsetShowsWallTimeAndOffset) {
    EXPECT_EQ(format_rfc3339(utc(2024, 5, 1, 9, 30), hours(2)), "2024-05-01T11:30:00+02:00");
    EXPECT_EQ(format_rfc3339(utc(2024, 5, 1, 9, 30), -(hours(5) + minutes(30))),
              "2024-05-01T04:00:00-05:30");
    EXPECT_EQ(format_rfc3339(utc(2024, 5, 1, 23, 0), hours(5) + minutes(30)),
              "2024-05-02T04:30:00+05:30");
    EXPECT_EQ(format_rfc3339(utc(2024, 5, 1, 9, 30), seconds(0)), "2024-05-01T09:30:00+00:00");
}

TEST(FormatRfc3339, OffsetWithSecondsIsRoundedAndStaysConsistent) {
    // Amsterdam mean time was +00:19:32; the text must still name the same instant.
    const auto t = utc(1900, 1, 1, 12, 0);
    const std::string text = format_rfc3339(t, minutes(19) + seconds(32));
    EXPECT_EQ(text, "1900-01-01T12:20:00+00:20");
    EXPECT_EQ(parse_rfc3339(text).value(), t);
}

TEST(FormatRfc3339, RoundTripsThroughParse) {
    for (const char* text : {"2024-05-01T09:30:00Z", "2024-02-29T23:59:59.999Z",
                             "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
        EXPECT_EQ(format_rfc3339(parse_rfc3339(text).value()), text);
    }
}

TEST(Clock, SystemClockIsCloseToSystemTime) {
    SystemClock clock;
    const auto difference = clock.now() - time_point_cast<milliseconds>(system_clock::now());
    EXPECT_LT(abs(difference), seconds(5));
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
    ManualClock clock(utc(2024, 5, 1, 9, 30));
    EXPECT_EQ(clock.now(), utc(2024, 5, 1, 9, 30));
    clock.advance(minutes(90));
    EXPECT_EQ(clock.now(), utc(2024, 5, 1, 11, 0));
    clock.set(utc(2030, 1, 1));
    EXPECT_EQ(clock.now(), utc(2030, 1, 1));
}

TEST(Clock, ManualClockAdvancesAtomicallyAcrossThreads) {
    ManualClock clock(utc(2024, 1, 1));
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&clock] {
            for (int j = 0; j < 1000; ++j) clock.advance(milliseconds(1));
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(clock.now(), utc(2024, 1, 1) + seconds(4));
}

}  // namespace
}  // namespace calrt
