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

AvailabilityPlan plan(std::string_view start, std::string_view end,
                      const AvailabilityWindowOptions& options = seven_day_windows()) {
    auto planned = split_availability_range({at(start), at(end)}, now, options);
    if (!planned) ADD_FAILURE() << planned.error().message;
    return planned ? *planned : AvailabilityPlan{};
}

std::vector<TimeRange> aligned(const AvailabilityPlan& planned) {
    std::vector<TimeRange> ranges;
    for (const auto& window : planned.windows) ranges.push_back(window.aligned);
    return ranges;
}

std::vector<TimeRange> asked(const AvailabilityPlan& planned) {
    std::vector<TimeRange> ranges;
    for (const auto& window : planned.windows) ranges.push_back(window.asked);
    return ranges;
}

AvailableTime slot(std::string_view start, std::string url = "https://calendly.com/x") {
    AvailableTime time;
    time.status = "available";
    time.invitees_remaining = 1;
    time.start_time = at(start);
    time.scheduling_url = std::move(url);
    return time;
}

TEST(AvailabilityWindows, WindowsLieOnAGridFromMidnightUtcToday) {
    const auto planned = plan("2024-05-02T00:00:00Z", "2024-05-05T00:00:00Z");
    EXPECT_EQ(aligned(planned),
              (std::vector<TimeRange>{{at("2024-05-01T00:00:00Z"), at("2024-05-08T00:00:00Z")}}));
    EXPECT_EQ(planned.answered, (TimeRange{at("2024-05-02T00:00:00Z"), at("2024-05-05T00:00:00Z")}));
}

TEST(AvailabilityWindows, LongRangeCoversEveryGridWindowItTouches) {
    const auto planned = plan("2024-05-02T00:00:00Z", "2024-05-20T12:00:00Z");
    EXPECT_EQ(aligned(planned), (std::vector<TimeRange>{{at("2024-05-01T00:00:00Z"), at("2024-05-08T00:00:00Z")},
                                                        {at("2024-05-08T00:00:00Z"), at("2024-05-15T00:00:00Z")},
                                                        {at("2024-05-15T00:00:00Z"), at("2024-05-22T00:00:00Z")}}));
}

TEST(AvailabilityWindows, DifferentStartsInsideOneGridWindowAskForTheSameWindow) {
    // Review N3: keyed on the exact start, every fresh start_time was a cache miss.
    const auto first = plan("2024-05-09T13:17:00Z", "2024-05-14T00:00:00Z");
    const auto second = plan("2024-05-12T08:00:00Z", "2024-05-13T09:30:00Z");
    EXPECT_EQ(first.windows, second.windows);
    EXPECT_EQ(asked(first), (std::vector<TimeRange>{{at("2024-05-08T00:00:00Z"), at("2024-05-15T00:00:00Z")}}));
    EXPECT_EQ(second.answered, (TimeRange{at("2024-05-12T08:00:00Z"), at("2024-05-13T09:30:00Z")}));
}

TEST(AvailabilityWindows, OnlyTheFirstGridWindowIsAskedFromAfterNow) {
    const auto planned = plan("2024-04-01T00:00:00Z", "2024-05-10T00:00:00Z");
    ASSERT_EQ(planned.windows.size(), 2u);
    EXPECT_EQ(planned.windows[0].aligned.start, at("2024-05-01T00:00:00Z"));
    EXPECT_EQ(planned.windows[0].asked.start, now + 1min) << "Calendly refuses a start in the past";
    EXPECT_EQ(planned.windows[1].asked, planned.windows[1].aligned);
    EXPECT_EQ(planned.answered.start, now + 1min);
}

TEST(AvailabilityWindows, StartMovedToNowIsRoundedUpToTheMinute) {
    const auto planned = split_availability_range(
        {at("2024-05-01T09:00:00Z"), at("2024-05-03T00:00:00Z")}, at("2024-05-01T10:00:12.345Z"));
    ASSERT_TRUE(planned);
    ASSERT_EQ(planned->windows.size(), 1u);
    EXPECT_EQ(planned->windows[0].asked.start, at("2024-05-01T10:02:00Z"));
}

TEST(AvailabilityWindows, RangesFromNowAskedHoursApartShareTheirWindows) {
    const auto from_now = [](std::string_view now_text) {
        const Timestamp moment = at(now_text);
        return split_availability_range({moment, moment + days(10)}, moment, seven_day_windows()).value();
    };
    const auto morning = from_now("2024-05-01T10:00:05Z");
    const auto evening = from_now("2024-05-01T19:40:40.5Z");
    EXPECT_EQ(aligned(morning), aligned(evening));
    ASSERT_EQ(morning.windows.size(), 2u);
    EXPECT_EQ(morning.windows[1].aligned, (TimeRange{at("2024-05-08T00:00:00Z"), at("2024-05-15T00:00:00Z")}));
    EXPECT_EQ(from_now("2024-05-01T10:00:40.5Z").windows, morning.windows) << "seconds apart: the same request";
}

TEST(AvailabilityWindows, TheGridMovesOnAtMidnightUtc) {
    const TimeRange range{at("2024-05-03T00:00:00Z"), at("2024-05-04T00:00:00Z")};
    const auto before = split_availability_range(range, at("2024-05-01T23:50:00Z"), seven_day_windows()).value();
    const auto after = split_availability_range(range, at("2024-05-02T00:10:00Z"), seven_day_windows()).value();
    EXPECT_EQ(before.windows[0].aligned.start, at("2024-05-01T00:00:00Z"));
    EXPECT_EQ(after.windows[0].aligned.start, at("2024-05-02T00:00:00Z"));
}

TEST(AvailabilityWindows, NoWindowAskedIsLongerThanTheMaximum) {
    for (const auto& window : plan("2024-05-01T00:00:00.500Z", "2024-06-09T00:00:00.500Z").windows) {
        EXPECT_LE(window.asked.end - window.asked.start, days(7));
        EXPECT_GT(window.asked.start, now) << "never a start in the past";
    }
}

TEST(AvailabilityWindows, RangeEntirelyInThePastHasNoWindows) {
    EXPECT_TRUE(plan("2024-04-01T00:00:00Z", "2024-04-02T00:00:00Z").windows.empty());
    EXPECT_TRUE(plan("2024-04-01T00:00:00Z", "2024-05-01T10:00:30Z").windows.empty());  // inside margin
}

TEST(AvailabilityWindows, EndNotAfterStartIsInvalid) {
    auto planned =
        split_availability_range({at("2024-05-03T00:00:00Z"), at("2024-05-03T00:00:00Z")}, now);
    ASSERT_FALSE(planned);
    EXPECT_EQ(planned.error().code, "invalid_time_range");
    EXPECT_EQ(planned.error().kind, ErrorKind::invalid_argument);
}

TEST(AvailabilityWindows, OverlyLongRangeIsRefused) {
    auto planned =
        split_availability_range({at("2024-05-02T00:00:00Z"), at("2025-05-02T00:00:00Z")}, now);
    ASSERT_FALSE(planned);
    EXPECT_EQ(planned.error().code, "time_range_too_long");
}

TEST(AvailabilityWindows, RangeStartingAtTheHorizonOrLaterIsRefused) {
    // 93 days from midnight UTC today (2024-05-01) is 2024-08-02.
    auto planned = split_availability_range({at("2024-08-02T00:00:00Z"), at("2024-08-05T00:00:00Z")}, now);
    ASSERT_FALSE(planned);
    EXPECT_EQ(planned.error().code, "time_range_too_far");
    EXPECT_EQ(planned.error().kind, ErrorKind::invalid_argument);
    EXPECT_NE(planned.error().message.find("93 days"), std::string::npos) << planned.error().message;
    EXPECT_TRUE(split_availability_range({at("2024-08-01T23:00:00Z"), at("2024-08-05T00:00:00Z")}, now));
}

TEST(AvailabilityWindows, EndPastTheHorizonIsCutThere) {
    const auto planned = plan("2024-07-20T00:00:00Z", "2024-08-20T00:00:00Z", AvailabilityWindowOptions{});
    EXPECT_EQ(planned.answered.end, at("2024-08-02T00:00:00Z"));
    EXPECT_EQ(aligned(planned),
              (std::vector<TimeRange>{{at("2024-07-02T00:00:00Z"), at("2024-08-02T00:00:00Z")}}))
        << "the third and last 31-day window of the grid";
}

TEST(AvailabilityWindows, WindowsAreThirtyOneDaysByDefault) {
    // developer.calendly.com/release-notes/2026/7/9: "up to 31 days per request, up from 7".
    const AvailabilityWindowOptions defaults;
    EXPECT_EQ(defaults.max_window, days(31));
    EXPECT_EQ(defaults.fallback_window, days(7));
    EXPECT_EQ(defaults.max_horizon, days(93));
    const auto planned = plan("2024-05-02T00:00:00Z", "2024-06-20T00:00:00Z", defaults);
    EXPECT_EQ(aligned(planned), (std::vector<TimeRange>{{at("2024-05-01T00:00:00Z"), at("2024-06-01T00:00:00Z")},
                                                        {at("2024-06-01T00:00:00Z"), at("2024-07-02T00:00:00Z")}}));
}

TEST(AvailabilityWindows, FourWeeksFromNowIsOneCallInsteadOfFive) {
    // "What is free in the next four weeks?": from now to now + 28 days lies in the grid's first
    // 31-day window; in 7-day windows from midnight it touches five.
    const Timestamp moment = at("2024-05-01T10:00:05Z");
    const TimeRange four_weeks{moment, moment + days(28)};
    EXPECT_EQ(split_availability_range(four_weeks, moment).value().windows.size(), 1u);
    EXPECT_EQ(split_availability_range(four_weeks, moment, seven_day_windows()).value().windows.size(), 5u);
}

TEST(AvailabilityWindows, OptionsChangeWindowAndMargin) {
    AvailabilityWindowOptions options;
    options.max_window = days(2);
    options.start_margin = 0ms;
    const auto planned = plan("2024-05-01T00:00:00Z", "2024-05-05T00:00:00Z", options);
    ASSERT_EQ(planned.windows.size(), 2u);
    EXPECT_EQ(planned.windows[0].asked.start, now);
    EXPECT_EQ(planned.windows[1].aligned, (TimeRange{at("2024-05-03T00:00:00Z"), at("2024-05-05T00:00:00Z")}));
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
