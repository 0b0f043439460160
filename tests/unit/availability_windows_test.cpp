#include "calrt/calendly/availability_windows.hpp"

#include <gtest/gtest.h>

namespace calrt::calendly {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

Timestamp at(std::string_view text) { return parse_rfc3339(text).value(); }

const Timestamp now = at("2024-05-01T10:00:00Z");

// Calendly's limit before 2026-07-09, which the client falls back to when still refused longer.
AvailabilityWindowOptions seven_day_windows() {
    AvailabilityWindowOptions options;
    options.max_window = days(7);
    return options;
}

std::vector<TimeRange> split(std::string_view start, std::string_view end) {
    auto windows = split_availability_range({at(start), at(end)}, now, seven_day_windows());
    if (!windows) ADD_FAILURE() << windows.error().message;
    return windows ? *windows : std::vector<TimeRange>{};
}

AvailableTime slot(std::string_view start, std::string url = "https://calendly.com/x") {
    AvailableTime time;
    time.status = "available";
    time.invitees_remaining = 1;
    time.start_time = at(start);
    time.scheduling_url = std::move(url);
    return time;
}

TEST(AvailabilityWindows, ShortRangeIsOneWindow) {
    EXPECT_EQ(split("2024-05-02T00:00:00Z", "2024-05-05T00:00:00Z"),
              (std::vector<TimeRange>{{at("2024-05-02T00:00:00Z"), at("2024-05-05T00:00:00Z")}}));
}

TEST(AvailabilityWindows, LongRangeIsSplitIntoConsecutiveSevenDayWindows) {
    const auto windows = split("2024-05-02T00:00:00Z", "2024-05-20T12:00:00Z");
    ASSERT_EQ(windows.size(), 3u);
    EXPECT_EQ(windows[0], (TimeRange{at("2024-05-02T00:00:00Z"), at("2024-05-09T00:00:00Z")}));
    EXPECT_EQ(windows[1], (TimeRange{at("2024-05-09T00:00:00Z"), at("2024-05-16T00:00:00Z")}));
    EXPECT_EQ(windows[2], (TimeRange{at("2024-05-16T00:00:00Z"), at("2024-05-20T12:00:00Z")}));
}

TEST(AvailabilityWindows, ExactlySevenDaysIsOneWindow) {
    EXPECT_EQ(split("2024-05-02T00:00:00Z", "2024-05-09T00:00:00Z").size(), 1u);
    EXPECT_EQ(split("2024-05-02T00:00:00Z", "2024-05-09T00:00:00.001Z").size(), 2u);
}

TEST(AvailabilityWindows, StartInThePastMovesToNowPlusMargin) {
    const auto windows = split("2024-04-01T00:00:00Z", "2024-05-03T00:00:00Z");
    ASSERT_EQ(windows.size(), 1u);
    EXPECT_EQ(windows[0].start, now + 1min);
    EXPECT_EQ(windows[0].end, at("2024-05-03T00:00:00Z"));
}

TEST(AvailabilityWindows, StartMovedToNowIsRoundedUpToTheMinute) {
    const auto windows = split_availability_range(
        {at("2024-05-01T09:00:00Z"), at("2024-05-03T00:00:00Z")}, at("2024-05-01T10:00:12.345Z"));
    ASSERT_TRUE(windows);
    ASSERT_EQ(windows->size(), 1u);
    EXPECT_EQ((*windows)[0].start, at("2024-05-01T10:02:00Z"));
}

TEST(AvailabilityWindows, RangesFromNowAskedSecondsApartGetTheSameWindows) {
    const auto from_now = [](std::string_view now_text) {
        const Timestamp moment = at(now_text);
        return split_availability_range({moment, moment + days(10)}, moment, seven_day_windows()).value();
    };
    const auto first = from_now("2024-05-01T10:00:05Z");
    EXPECT_EQ(first, from_now("2024-05-01T10:00:40.5Z"));
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0], (TimeRange{at("2024-05-01T10:02:00Z"), at("2024-05-08T10:02:00Z")}));
    EXPECT_EQ(first[1].end, at("2024-05-11T10:01:00Z")) << "the end rounded up to the minute";
}

TEST(AvailabilityWindows, RoundingTheEndNeverMakesAWindowLongerThanTheMaximum) {
    const auto windows = split("2024-05-02T00:00:00.500Z", "2024-05-09T00:00:00.500Z");
    ASSERT_EQ(windows.size(), 1u);
    EXPECT_EQ(windows[0].end - windows[0].start, days(7));
}

TEST(AvailabilityWindows, RangeEntirelyInThePastHasNoWindows) {
    EXPECT_TRUE(split("2024-04-01T00:00:00Z", "2024-04-02T00:00:00Z").empty());
    EXPECT_TRUE(split("2024-04-01T00:00:00Z", "2024-05-01T10:00:30Z").empty());  // inside margin
}

TEST(AvailabilityWindows, EndNotAfterStartIsInvalid) {
    auto windows =
        split_availability_range({at("2024-05-03T00:00:00Z"), at("2024-05-03T00:00:00Z")}, now);
    ASSERT_FALSE(windows);
    EXPECT_EQ(windows.error().code, "invalid_time_range");
    EXPECT_EQ(windows.error().kind, ErrorKind::invalid_argument);
}

TEST(AvailabilityWindows, OverlyLongRangeIsRefused) {
    auto windows =
        split_availability_range({at("2024-05-02T00:00:00Z"), at("2025-05-02T00:00:00Z")}, now);
    ASSERT_FALSE(windows);
    EXPECT_EQ(windows.error().code, "time_range_too_long");
}

TEST(AvailabilityWindows, WindowsAreThirtyOneDaysByDefault) {
    // developer.calendly.com/release-notes/2026/7/9: "up to 31 days per request, up from 7".
    const AvailabilityWindowOptions defaults;
    EXPECT_EQ(defaults.max_window, days(31));
    EXPECT_EQ(defaults.fallback_window, days(7));
    auto windows = split_availability_range({at("2024-05-02T00:00:00Z"), at("2024-06-02T00:00:00Z")}, now);
    ASSERT_TRUE(windows);
    EXPECT_EQ(windows->size(), 1u);
    windows = split_availability_range({at("2024-05-02T00:00:00Z"), at("2024-06-20T00:00:00Z")}, now);
    ASSERT_TRUE(windows);
    ASSERT_EQ(windows->size(), 2u);
    EXPECT_EQ((*windows)[0].end, at("2024-06-02T00:00:00Z"));
}

TEST(AvailabilityWindows, FourWeeksFromNowIsOneCallInsteadOfFour) {
    // "What is free in the next four weeks?": from now to now + 28 days (the start moves to the
    // next whole minute after now + margin). Four 7-day windows before, one 31-day window now.
    const Timestamp moment = at("2024-05-01T10:00:05Z");
    const TimeRange four_weeks{moment, moment + days(28)};
    EXPECT_EQ(split_availability_range(four_weeks, moment).value().size(), 1u);
    EXPECT_EQ(split_availability_range(four_weeks, moment, seven_day_windows()).value().size(), 4u);
    // Whole days, from now to the end of the 28th day after today, is five 7-day windows.
    const TimeRange to_day_end{moment, at("2024-05-30T00:00:00Z")};
    EXPECT_EQ(split_availability_range(to_day_end, moment).value().size(), 1u);
    EXPECT_EQ(split_availability_range(to_day_end, moment, seven_day_windows()).value().size(), 5u);
}

TEST(AvailabilityWindows, OptionsChangeWindowAndMargin) {
    AvailabilityWindowOptions options;
    options.max_window = days(2);
    options.start_margin = 0ms;
    auto windows = split_availability_range(
        {at("2024-05-01T00:00:00Z"), at("2024-05-05T00:00:00Z")}, now, options);
    ASSERT_TRUE(windows);
    ASSERT_EQ(windows->size(), 2u);
    EXPECT_EQ((*windows)[0].start, now);
    EXPECT_EQ((*windows)[1].end, at("2024-05-05T00:00:00Z"));
}

TEST(MergeAvailableTimes, SortsAcrossWindowsAndDropsDuplicates) {
    std::vector<std::vector<AvailableTime>> windows = {
        {slot("2024-05-02T09:00:00Z"), slot("2024-05-08T23:30:00Z"),
         slot("2024-05-09T00:00:00Z", "from-first-window")},
        {slot("2024-05-09T00:00:00Z", "from-second-window"), slot("2024-05-10T09:00:00Z")},
        {},
    };
    const auto merged = merge_available_times(
        std::move(windows), {at("2024-05-02T00:00:00Z"), at("2024-05-20T00:00:00Z")});
    ASSERT_EQ(merged.size(), 4u);
    EXPECT_EQ(merged[0].start_time, at("2024-05-02T09:00:00Z"));
    EXPECT_EQ(merged[1].start_time, at("2024-05-08T23:30:00Z"));
    EXPECT_EQ(merged[2].start_time, at("2024-05-09T00:00:00Z"));
    EXPECT_EQ(merged[2].scheduling_url, "from-first-window");
    EXPECT_EQ(merged[3].start_time, at("2024-05-10T09:00:00Z"));
}

TEST(MergeAvailableTimes, OrdersUnsortedWindowResults) {
    std::vector<std::vector<AvailableTime>> windows = {
        {slot("2024-05-12T09:00:00Z")},
        {slot("2024-05-03T09:00:00Z"), slot("2024-05-02T09:00:00Z")},
    };
    const auto merged = merge_available_times(
        std::move(windows), {at("2024-05-02T00:00:00Z"), at("2024-05-20T00:00:00Z")});
    ASSERT_EQ(merged.size(), 3u);
    EXPECT_EQ(merged[0].start_time, at("2024-05-02T09:00:00Z"));
    EXPECT_EQ(merged[2].start_time, at("2024-05-12T09:00:00Z"));
}

TEST(MergeAvailableTimes, KeepsOnlyStartsInsideTheRequestedRange) {
    std::vector<std::vector<AvailableTime>> windows = {
        {slot("2024-05-01T23:59:00Z"), slot("2024-05-02T00:00:00Z"), slot("2024-05-03T00:00:00Z")},
    };
    const auto merged = merge_available_times(
        std::move(windows), {at("2024-05-02T00:00:00Z"), at("2024-05-03T00:00:00Z")});
    ASSERT_EQ(merged.size(), 1u);
    EXPECT_EQ(merged[0].start_time, at("2024-05-02T00:00:00Z"));
}

}  // namespace
}  // namespace calrt::calendly
