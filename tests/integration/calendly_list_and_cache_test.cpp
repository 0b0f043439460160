// Lists that stop and say so (item cap, list deadline, pages that make no progress; review L5), and
// the short-lived availability cache (review M4) with its windows on a fixed grid (review N3),
// against the fake Calendly over HTTP.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <nlohmann/json.hpp>

#include "calrt/calendly/calendly_client.hpp"
#include "support/running_fake_calendly.hpp"

namespace calrt::calendly {
namespace {

using namespace std::chrono_literals;
using testing::FaultPlan;

Timestamp timestamp(std::chrono::system_clock::time_point t) {
    return Timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()));
}

TimeRange next_days(int from_day, int days) {
    const auto start = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                       std::chrono::days(from_day);
    return {timestamp(start), timestamp(start + std::chrono::days(days))};
}

// `days` whole days after midnight UTC today, plus hours and minutes.
Timestamp today_plus(int days, int hours, int minutes) {
    return timestamp(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                     std::chrono::days(days) + std::chrono::hours(hours) + std::chrono::minutes(minutes));
}

std::vector<Timestamp> starts_of(const std::vector<AvailableTime>& times) {
    std::vector<Timestamp> starts;
    for (const auto& time : times) starts.push_back(time.start_time);
    return starts;
}

class CalendlyListAndCacheTest : public ::testing::Test {
  protected:
    CalendlyClientOptions options() {
        CalendlyClientOptions o;
        o.base_url = fake->base_url();
        o.access_token = Secret(fake->access_token());
        o.page_size = 1;  // the seeded scheduled events span several pages
        o.http.request_timeout = 2s;
        o.retry.base_delay = 1ms;
        o.retry.max_backoff = 5ms;
        o.retry.deadline = 3s;
        return o;
    }
    CalendlyClient& client(CalendlyClientOptions o, const Clock& at) {
        client_ =
            std::make_unique<CalendlyClient>(fake.io.get_executor(), std::move(o), metrics, at);
        return *client_;
    }
    CalendlyClient& client(CalendlyClientOptions o) { return client(std::move(o), system_clock); }
    CalendlyClient& client() { return client(options()); }
    template <class T>
    T run(boost::asio::awaitable<T> op) {
        return fake.run(std::move(op));
    }
    std::size_t availability_calls() { return fake->request_count("/event_type_available_times"); }
    // What the fake itself answers for exactly `range`, asked directly.
    std::vector<Timestamp> fake_starts(const std::string& event_type, TimeRange range) {
        const auto response = fake.get(test::with_query("/event_type_available_times",
                                                        {{"event_type", event_type},
                                                         {"start_time", format_calendly_time(range.start)},
                                                         {"end_time", format_calendly_time(range.end)}}));
        EXPECT_EQ(response.result_int(), 200u) << response.body();
        std::vector<Timestamp> starts;
        const auto body = nlohmann::json::parse(response.body());
        for (const auto& item : body.at("collection")) {
            starts.push_back(parse_rfc3339(item.at("start_time").get<std::string>()).value());
        }
        EXPECT_FALSE(starts.empty()) << response.body();
        return starts;
    }

    test::RunningFakeCalendly fake;
    MetricsRegistry metrics;
    SystemClock system_clock;
    std::unique_ptr<CalendlyClient> client_;
};

TEST_F(CalendlyListAndCacheTest, CompleteListIsNotTruncated) {
    auto events = run(client().scheduled_events({}));
    ASSERT_TRUE(events) << events.error().message;
    EXPECT_GE(events->items.size(), 2u);
    EXPECT_EQ(events->truncation, ListTruncation::none);
}

TEST_F(CalendlyListAndCacheTest, ListStopsWhenAPageTokenComesBack) {
    fake->inject("/scheduled_events", FaultPlan::stuck_pagination(false, 1000));
    auto events = run(client().scheduled_events({}));
    ASSERT_TRUE(events) << events.error().message;
    EXPECT_EQ(events->truncation, ListTruncation::no_progress);
    EXPECT_FALSE(events->items.empty());
    EXPECT_EQ(fake->request_count("/scheduled_events"), 2u)
        << "the first page, then its token again";
}

TEST_F(CalendlyListAndCacheTest, ListStopsAtAnEmptyPageThatStillHasANextPage) {
    fake->inject("/scheduled_events", FaultPlan::stuck_pagination(true, 1000));
    auto events = run(client().scheduled_events({}));
    ASSERT_TRUE(events) << events.error().message;
    EXPECT_EQ(events->truncation, ListTruncation::no_progress);
    EXPECT_TRUE(events->items.empty());
    EXPECT_EQ(fake->request_count("/scheduled_events"), 1u);
}

TEST_F(CalendlyListAndCacheTest, ListAtTheItemCapSaysItWasTruncated) {
    auto o = options();
    o.max_list_items = 1;
    auto events = run(client(o).scheduled_events({}));
    ASSERT_TRUE(events) << events.error().message;
    EXPECT_EQ(events->items.size(), 1u);
    EXPECT_EQ(events->truncation, ListTruncation::item_cap);
}

TEST_F(CalendlyListAndCacheTest, ListStopsAtItsDeadlineWithThePagesRead) {
    // Each page takes 400 ms and the whole list may take 600 ms: the first page arrives, the second
    // is cut off.
    fake->inject("/scheduled_events", FaultPlan::delayed(400ms, 1000));
    auto o = options();
    o.list_deadline = 600ms;
    const auto started = std::chrono::steady_clock::now();
    auto events = run(client(o).scheduled_events({}));
    ASSERT_TRUE(events) << events.error().message;
    EXPECT_EQ(events->truncation, ListTruncation::deadline);
    EXPECT_EQ(events->items.size(), 1u);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(CalendlyListAndCacheTest, IdenticalAvailabilityRequestsMakeOneUpstreamCallPerWindow) {
    auto& c = client();
    const auto event_type = fake->active_event_type_uris().front();
    auto first = run(c.available_times(event_type, next_days(1, 40)));
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(availability_calls(), 2u) << "two windows";

    auto second = run(c.available_times(event_type, next_days(1, 40)));

    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(availability_calls(), 2u);
    ASSERT_EQ(second->size(), first->size());
    for (std::size_t i = 0; i < first->size(); ++i)
        EXPECT_EQ((*second)[i].start_time, (*first)[i].start_time);
}

TEST_F(CalendlyListAndCacheTest, ConcurrentIdenticalAvailabilityRequestsShareOneUpstreamCall) {
    auto& c = client();
    const auto event_type = fake->active_event_type_uris().front();
    fake->inject("/event_type_available_times",
                 FaultPlan::delayed(100ms, 100));  // so that they overlap
    std::vector<std::future<Result<std::vector<AvailableTime>>>> futures;
    for (int i = 0; i < 5; ++i) {
        futures.push_back(boost::asio::co_spawn(
            fake.io, c.available_times(event_type, next_days(1, 40)), boost::asio::use_future));
    }
    for (auto& f : futures) {
        auto times = f.get();
        ASSERT_TRUE(times) << times.error().message;
        EXPECT_FALSE(times->empty());
    }
    EXPECT_EQ(availability_calls(), 2u);
}

TEST_F(CalendlyListAndCacheTest, BookingDropsTheCachedWindowsOfItsEventTypeOnly) {
    auto& c = client();
    const auto booked_type = fake->active_event_type_uris()[0];
    const auto other_type = fake->active_event_type_uris()[1];
    auto before = run(c.available_times(booked_type, next_days(1, 7)));
    ASSERT_TRUE(before && !before->empty());
    ASSERT_TRUE(run(c.available_times(other_type, next_days(1, 7))));
    EXPECT_EQ(availability_calls(), 2u);
    const Timestamp slot = before->front().start_time;
    ASSERT_TRUE(run(c.create_invitee({booked_type, slot, "Ada", "ada@example.com", "UTC", test::fake_meeting_location()})));

    auto after = run(c.available_times(booked_type, next_days(1, 7)));
    ASSERT_TRUE(after);
    EXPECT_EQ(availability_calls(), 3u) << "the booked type's window went upstream again";
    for (const auto& t : *after) EXPECT_NE(t.start_time, slot);
    ASSERT_TRUE(run(c.available_times(other_type, next_days(1, 7))));
    EXPECT_EQ(availability_calls(), 3u) << "the other type's window is still cached";
}

TEST_F(CalendlyListAndCacheTest, ZeroAvailabilityCacheTtlTurnsTheCacheOff) {
    auto o = options();
    o.availability_cache_ttl = 0ms;
    auto& c = client(o);
    const auto event_type = fake->active_event_type_uris().front();
    ASSERT_TRUE(run(c.available_times(event_type, next_days(1, 40))));
    ASSERT_TRUE(run(c.available_times(event_type, next_days(1, 40))));
    EXPECT_EQ(availability_calls(), 4u);
}

TEST_F(CalendlyListAndCacheTest, AvailabilityFromNowAskedSecondsApartUsesTheSameWindows) {
    // "From now" ranges move with the clock; the client rounds them so that the windows stay put.
    // The clock is ahead of the fake's, so the rounded start is in the future for the fake too.
    const auto minute =
        std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now()) + 2min;
    ManualClock at(timestamp(minute + 5s));
    auto& c = client(options(), at);
    const auto event_type = fake->active_event_type_uris().front();
    const auto from_now = [&] { return TimeRange{at.now() - 1h, at.now() + std::chrono::days(3)}; };
    ASSERT_TRUE(run(c.available_times(event_type, from_now())));
    at.set(timestamp(minute + 40s));

    ASSERT_TRUE(run(c.available_times(event_type, from_now())));

    EXPECT_EQ(availability_calls(), 1u);
}

TEST_F(CalendlyListAndCacheTest, DifferentFutureStartsInsideOneAlignedWindowCostOneCalendlyCall) {
    // Review N3: keyed on the exact window asked for, every fresh start_time went to Calendly.
    // Both ranges lie in the grid's first 31-day window, which starts at midnight UTC today.
    auto& c = client();
    const auto event_type = fake->active_event_type_uris().front();
    const TimeRange first_range{today_plus(2, 9, 17), today_plus(9, 15, 0)};
    const TimeRange second_range{today_plus(5, 14, 0), today_plus(12, 16, 30)};

    auto first = run(c.available_times(event_type, first_range));
    auto second = run(c.available_times(event_type, second_range));

    ASSERT_TRUE(first) << first.error().message;
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(availability_calls(), 1u);
    EXPECT_FALSE(first->empty());
    EXPECT_EQ(starts_of(*first), fake_starts(event_type, first_range)) << "exactly the range asked for";
    EXPECT_EQ(starts_of(*second), fake_starts(event_type, second_range)) << "exactly the range asked for";
}

}  // namespace
}  // namespace calrt::calendly
