// The assistant's Calendly tools against the fake Calendly over HTTP: each tool's answer, the
// fallback when Calendly fails, bad arguments, the taken slot, time zones and the type question.
#include "calrt/tools/calendly_tools.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/url/parse.hpp>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "support/running_fake_calendly.hpp"

namespace calrt::tools {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::FaultPlan;

constexpr std::string_view fallback_url = "https://calendly.com/alex-rivera";
constexpr std::string_view kLinkTracking = "calrt-test-link-token";

calendly::CalendlyClientOptions client_options(const testing::FakeCalendly& fake) {
    calendly::CalendlyClientOptions options;
    options.base_url = fake.base_url();
    options.access_token = Secret(fake.access_token());
    options.http.request_timeout = 300ms;
    options.retry.max_attempts = 2;
    options.retry.base_delay = 1ms;
    options.retry.max_backoff = 2ms;
    options.retry.deadline = 2s;
    return options;
}

std::string query_value(const std::string& url, std::string_view key) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed) return "<not a URL: " + url + ">";
    auto found = parsed->params().find(key);
    return found == parsed->params().end() ? std::string("<missing>") : std::string((*found).value);
}

class CalendlyToolsTest : public ::testing::Test {
  protected:
    CalendlyToolsTest() { use_client(client_options(*fake)); }

    void use_client(calendly::CalendlyClientOptions options) {
        client = std::make_unique<calendly::CalendlyClient>(fake.io.get_executor(),
                                                            std::move(options), metrics, clock);
        context = std::make_shared<CalendlyToolContext>(CalendlyToolContext{
            *client, std::string(fallback_url), zones, clock, std::string(kLinkTracking),
            [this](const ExpectedBooking& booking) {
                expected_bookings.push_back(booking);
                return expected_bookings.size() <= allowed_bookings;
            }});
    }

    json run(boost::asio::awaitable<json> call) {
        return fake.run(std::move(call));
    }

    std::vector<calendly::AvailableTime> open_slots(const std::string& event_type_uri) {
        const Timestamp now = clock.now();
        auto slots = fake.run(client->available_times(event_type_uri, {now, now + 24h * 7}));
        if (!slots) ADD_FAILURE() << slots.error().message;
        return slots ? *slots : std::vector<calendly::AvailableTime>{};
    }

    json booking_arguments(const std::string& event_type, Timestamp start, std::string timezone) {
        return {{"event_type", event_type},
                {"start_time", format_rfc3339(start)},
                {"name", "Ada Lovelace"},
                {"email", "ada@example.com"},
                {"timezone", std::move(timezone)}};
    }

    test::RunningFakeCalendly fake;
    MetricsRegistry metrics;
    SystemClock clock;
    TimeZoneCache zones;
    std::unique_ptr<calendly::CalendlyClient> client;
    std::vector<ExpectedBooking>
        expected_bookings;  // written on an I/O thread, read after the call returned
    std::size_t allowed_bookings = 100;  // what on_expected_booking accepts
    std::shared_ptr<CalendlyToolContext> context;
};

std::string error_code(const json& result) {
    return result.contains("error") ? result["error"].value("code", "<no code>") : "<not an error>";
}

// get_available_meeting_types

TEST_F(CalendlyToolsTest, MeetingTypesListTheActiveTypesWithDurationDescriptionAndBookingUrl) {
    const json result = run(get_available_meeting_types(*context, json::object()));
    ASSERT_TRUE(result.contains("event_types")) << result.dump();
    std::vector<std::string> uris;
    for (const auto& type : result["event_types"]) {
        uris.push_back(type["uri"]);
        EXPECT_EQ(type["booking_url"], fake->scheduling_url_of(type["uri"].get<std::string>()));
        EXPECT_GT(type["duration_minutes"].get<int>(), 0);
        EXPECT_FALSE(type["description"].get<std::string>().empty());
    }
    EXPECT_EQ(uris, fake->active_event_type_uris());
    EXPECT_EQ(result["event_types"][0]["name"], "15 Minute Meeting");
    EXPECT_EQ(result["event_types"][0]["duration_minutes"], 15);
    EXPECT_NE(result["message"].get<std::string>().find("5 meeting types"), std::string::npos)
        << result["message"];
}

TEST_F(CalendlyToolsTest, MeetingTypesFallBackToTheBookingPageWhenCalendlyFails) {
    fake->inject("/event_types", FaultPlan::error(500, 100));
    const json result = run(get_available_meeting_types(*context, json::object()));
    EXPECT_EQ(result["fallback"], true) << result.dump();
    EXPECT_EQ(result["booking_url"], fallback_url);
    EXPECT_NE(result["message"].get<std::string>().find("Sorry"), std::string::npos);
}

TEST_F(CalendlyToolsTest, CalendlyFailureWithoutAnyBookingPageIsAnErrorResult) {
    context->fallback_url.clear();
    fake->inject("/event_types", FaultPlan::error(503, 100));
    const json result = run(get_available_meeting_types(*context, json::object()));
    EXPECT_EQ(error_code(result), "calendly_unavailable") << result.dump();
}

// check_meeting_availability

TEST_F(CalendlyToolsTest, AvailabilityAsksWhichTypeWhenSeveralAndNoneIsNamed) {
    const json result = run(check_meeting_availability(*context, json::object()));
    EXPECT_EQ(result["needs_event_type"], true) << result.dump();
    EXPECT_EQ(result["event_types"].size(), 5u);
    EXPECT_NE(result["message"].get<std::string>().find("30 Minute Meeting"), std::string::npos);
    EXPECT_EQ(fake->request_count("/event_type_available_times"), 0u);
}

TEST_F(CalendlyToolsTest, AvailabilityUsesTheOnlyTypeWithoutAsking) {
    auto options = client_options(*fake);
    options.max_list_items = 1;  // the client then sees a host with exactly one event type
    use_client(options);
    const json result = run(check_meeting_availability(*context, json::object()));
    ASSERT_TRUE(result.contains("days")) << result.dump();
    EXPECT_EQ(result["event_type"]["uri"], fake->active_event_type_uris().front());
    EXPECT_GT(result["slot_count"].get<int>(), 0);
}

TEST_F(CalendlyToolsTest, AvailabilityFindsTheTypeByNameSlugUuidOrUri) {
    const std::string uri = fake->event_type_uri("30min");
    for (const std::string& name : {std::string("30 minute MEETING"), std::string("30min"),
                                    *calendly::uuid_from_uri(uri), uri}) {
        SCOPED_TRACE(name);
        const json result = run(check_meeting_availability(*context, {{"event_type", name}}));
        EXPECT_EQ(result["event_type"]["uri"], uri) << result.dump();
    }
}

TEST_F(CalendlyToolsTest, AvailabilityDefaultsToTheNextSevenDaysInTheHostsTimeZone) {
    const Timestamp before = clock.now();
    const json result = run(check_meeting_availability(*context, {{"event_type", "30min"}}));
    ASSERT_TRUE(result.contains("days")) << result.dump();
    EXPECT_EQ(result["timezone"], "America/New_York");
    EXPECT_EQ(result["booking_url"], fake->scheduling_url_of(fake->event_type_uri("30min")));
    std::size_t slots = 0;
    for (const auto& day : result["days"]) {
        for (const auto& start : day["slots"]) {
            const std::string text = start;
            const Timestamp at = parse_rfc3339(text).value();
            EXPECT_GT(at, before);
            EXPECT_LT(at, before + 24h * 7 + 1min);
            EXPECT_TRUE(text.ends_with("-04:00") || text.ends_with("-05:00")) << text;
            ++slots;
        }
    }
    EXPECT_GT(slots, 0u);
    EXPECT_EQ(result["slot_count"], slots) << "the data keeps every slot";
}

TEST_F(CalendlyToolsTest, AvailabilityGroupsSlotsByDayInTheCallersTimeZone) {
    // The fake's hours, 14:00-22:00 UTC, are 23:00-07:00 in Tokyo: one Tokyo day holds the early
    // slots of one UTC day and the late ones of the next.
    const json result = run(check_meeting_availability(
        *context, {{"event_type", "30min"}, {"timezone", "Asia/Tokyo"}}));
    ASSERT_TRUE(result.contains("days")) << result.dump();
    EXPECT_EQ(result["timezone"], "Asia/Tokyo");
    bool day_spans_two_utc_days = false;
    for (const auto& day : result["days"]) {
        const std::string date = day["date"];
        bool early = false, late = false;
        for (const auto& start : day["slots"]) {
            const std::string text = start;
            EXPECT_TRUE(text.starts_with(date)) << text << " listed under " << date;
            EXPECT_TRUE(text.ends_with("+09:00")) << text;
            early = early || text.substr(11, 5) == "00:00";
            late = late || text.substr(11, 5) == "23:00";
        }
        day_spans_two_utc_days = day_spans_two_utc_days || (early && late);
    }
    EXPECT_TRUE(day_spans_two_utc_days) << result.dump();
    EXPECT_NE(result["message"].get<std::string>().find("11:00 PM"), std::string::npos)
        << result["message"];
}

TEST_F(CalendlyToolsTest, AvailabilityMessageSaysAtMostFiveTimesADay) {
    const json result =
        run(check_meeting_availability(*context, {{"event_type", "30min"}, {"timezone", "UTC"}}));
    const std::string message = result["message"];
    // A full weekday has 16 half-hour slots from 14:00 to 21:30 UTC.
    EXPECT_NE(message.find("2:00 PM, 2:30 PM, 3:00 PM, 3:30 PM, 4:00 PM and 11 more"),
              std::string::npos)
        << message;
    for (const auto& day : result["days"]) {
        const std::string times = message.substr(message.find(day["weekday"].get<std::string>()));
        const std::string said = times.substr(0, times.find_first_of(";."));
        EXPECT_LE(std::count(said.begin(), said.end(), ','), 5)
            << said;  // "Monday, May 4: 5 times"
    }
}

TEST_F(CalendlyToolsTest, AvailabilityCoversTheGivenDatesInclusive) {
    const auto today = std::chrono::floor<std::chrono::days>(clock.now());
    const std::string first = format_rfc3339(today + std::chrono::days(2)).substr(0, 10);
    const std::string last = format_rfc3339(today + std::chrono::days(4)).substr(0, 10);
    const json result = run(check_meeting_availability(
        *context,
        {{"event_type", "30min"}, {"timezone", "UTC"}, {"start_date", first}, {"end_date", last}}));
    ASSERT_TRUE(result.contains("days")) << result.dump();
    EXPECT_EQ(result["start_date"], first);
    EXPECT_EQ(result["end_date"], last);
    for (const auto& day : result["days"]) {
        EXPECT_GE(day["date"].get<std::string>(), first);
        EXPECT_LE(day["date"].get<std::string>(), last);
    }
}

TEST_F(CalendlyToolsTest, AvailabilityFallsBackToTheTypesBookingPageWhenCalendlyFails) {
    fake->inject("/event_type_available_times", FaultPlan::error(500, 100));
    const json result = run(check_meeting_availability(*context, {{"event_type", "30min"}}));
    EXPECT_EQ(result["fallback"], true) << result.dump();
    EXPECT_EQ(result["booking_url"], fake->scheduling_url_of(fake->event_type_uri("30min")));
    EXPECT_NE(result["message"].get<std::string>().find("Sorry"), std::string::npos);
}

TEST_F(CalendlyToolsTest, AvailabilityFallsBackToTheConfiguredPageWhenTypesCannotBeLoaded) {
    fake->inject("/event_types", FaultPlan::error(500, 100));
    const json result = run(check_meeting_availability(*context, {{"event_type", "30min"}}));
    EXPECT_EQ(result["fallback"], true) << result.dump();
    EXPECT_EQ(result["booking_url"], fallback_url);
}

TEST_F(CalendlyToolsTest, AvailabilityRefusesBadArgumentsWithoutAskingCalendly) {
    const std::vector<std::pair<json, std::string>> cases = {
        {{{"event_type", "30min"}, {"start_date", "May 4"}}, "invalid_date"},
        {{{"event_type", "30min"}, {"start_date", "2026-02-30"}}, "invalid_date"},
        {{{"event_type", "30min"}, {"timezone", "Mars/Olympus_Mons"}}, "invalid_timezone"},
        {{{"event_type", "30min"}, {"start_date", "2030-05-04"}, {"end_date", "2030-05-01"}},
         "invalid_date_range"},
        {{{"event_type", "30min"}, {"start_date", "2030-05-01"}, {"end_date", "2030-07-01"}},
         "date_range_too_long"},
        {{{"event_type", "30min"}, {"start_date", "2020-05-01"}, {"end_date", "2020-05-02"}},
         "date_in_past"},
        {{{"event_type", "Yoga Class"}}, "unknown_event_type"},
        {{{"event_type", 30}}, "invalid_field"},
    };
    for (const auto& [arguments, code] : cases) {
        SCOPED_TRACE(arguments.dump());
        const json result = run(check_meeting_availability(*context, arguments));
        EXPECT_EQ(error_code(result), code) << result.dump();
    }
    EXPECT_EQ(fake->request_count("/event_type_available_times"), 0u);
}

TEST_F(CalendlyToolsTest, UnknownTypeErrorListsTheTypesOnOffer) {
    const json result = run(check_meeting_availability(*context, {{"event_type", "Yoga Class"}}));
    const std::string message = result["error"]["message"];
    EXPECT_NE(message.find("Yoga Class"), std::string::npos) << message;
    EXPECT_NE(message.find("Product Demo (30 min)"), std::string::npos) << message;
}

// schedule_call

TEST_F(CalendlyToolsTest, ScheduleCallMakesAPersonalLinkWithNameAndEmailPrefilled) {
    const json result = run(schedule_call(
        *context,
        {{"name", "José Müller"}, {"email", "jose@example.com"}, {"purpose", "Pricing & plans"}}));
    ASSERT_TRUE(result.contains("booking_url")) << result.dump();
    EXPECT_EQ(result["fallback"], false);
    const std::string url = result["booking_url"];
    EXPECT_EQ(query_value(url, "name"), "José Müller");
    EXPECT_EQ(query_value(url, "email"), "jose@example.com");
    EXPECT_EQ(query_value(url, "a1"), "Pricing & plans");
    EXPECT_EQ(fake->request_count("/scheduling_links"), 1u);
    EXPECT_NE(result["message"].get<std::string>().find(url), std::string::npos);
}

TEST_F(CalendlyToolsTest, ScheduleCallUsesTheNamedType) {
    const json result = run(schedule_call(
        *context,
        {{"name", "Ada Lovelace"}, {"email", "ada@example.com"}, {"event_type", "product demo"}}));
    EXPECT_EQ(result["event_type"]["uri"], fake->event_type_uri("product-demo")) << result.dump();
}

TEST_F(CalendlyToolsTest, ScheduleCallReportsTheExpectedBookingForLiveConfirmation) {
    run(schedule_call(*context, {{"name", "Ada Lovelace"}, {"email", "ada@example.com"}, {"event_type", "30min"}}));
    ASSERT_EQ(expected_bookings.size(), 1u);
    EXPECT_EQ(expected_bookings[0].email, "ada@example.com");
    EXPECT_EQ(expected_bookings[0].event_type_uri, fake->event_type_uri("30min"));
    EXPECT_FALSE(expected_bookings[0].start_time);  // the person picks the time on the page
    EXPECT_EQ(expected_bookings[0].tracking, kLinkTracking);
}

TEST_F(CalendlyToolsTest, ScheduleCallLinksCarryTheConversationsTrackingToken) {
    const json result = run(schedule_call(*context, {{"name", "Ada Lovelace"}, {"email", "ada@example.com"}}));
    ASSERT_EQ(result["fallback"], false) << result.dump();
    const std::string booking_url = result["booking_url"];  // the URL view below points into it
    auto url = boost::urls::parse_absolute_uri(booking_url);
    ASSERT_TRUE(url);
    const auto token = url->params().find("utm_content");
    ASSERT_NE(token, url->params().end());
    EXPECT_EQ((*token).value, kLinkTracking);
}

TEST_F(CalendlyToolsTest, ScheduleCallFallsBackToThePrefilledBookingPageWhenCalendlyFails) {
    fake->inject("/scheduling_links", FaultPlan::error(500, 100));
    const json result =
        run(schedule_call(*context, {{"name", "Ada Lovelace"}, {"email", "ada@example.com"}}));
    EXPECT_EQ(result["fallback"], true) << result.dump();
    const std::string url = result["booking_url"];
    EXPECT_TRUE(url.starts_with(fallback_url)) << url;
    EXPECT_EQ(query_value(url, "email"), "ada@example.com");
    EXPECT_NE(result["message"].get<std::string>().find("Calendly isn't responding"),
              std::string::npos);
}

TEST_F(CalendlyToolsTest, ScheduleCallFallsBackWhenTypesCannotBeLoaded) {
    fake->inject("/event_types", FaultPlan::error(500, 100));
    const json result =
        run(schedule_call(*context, {{"name", "Ada Lovelace"}, {"email", "ada@example.com"}}));
    EXPECT_EQ(result["fallback"], true) << result.dump();
    EXPECT_EQ(query_value(result["booking_url"], "name"), "Ada Lovelace");
}

TEST_F(CalendlyToolsTest, ScheduleCallRefusesBadArguments) {
    const std::vector<std::pair<json, std::string>> cases = {
        {{{"email", "ada@example.com"}}, "missing_field"},
        {{{"name", "Ada"}, {"email", "ada at example"}}, "invalid_email"},
        {{{"name", "Ada\x01"}, {"email", "ada@example.com"}}, "invalid_name"},
        {{{"name", "Ada"}, {"email", "ada@example.com"}, {"event_type", "Yoga Class"}},
         "unknown_event_type"},
        {json::array(), "invalid_arguments"},
    };
    for (const auto& [arguments, code] : cases) {
        SCOPED_TRACE(arguments.dump());
        EXPECT_EQ(error_code(run(schedule_call(*context, arguments))), code);
    }
    EXPECT_EQ(fake->request_count("/scheduling_links"), 0u);
}

// book_meeting

TEST_F(CalendlyToolsTest, BookMeetingBooksAnOpenSlotAndAnswersInTheCallersTimeZone) {
    const std::string type = fake->event_type_uri("30min");
    const auto slots = open_slots(type);
    ASSERT_FALSE(slots.empty());
    const Timestamp start = slots.front().start_time;

    const json result =
        run(book_meeting(*context, booking_arguments("30 Minute Meeting", start, "Europe/Berlin")));
    ASSERT_EQ(result["booked"], true) << result.dump();
    EXPECT_EQ(result["start_time"], zones.get("Europe/Berlin")->to_local(start).to_rfc3339());
    EXPECT_EQ(result["timezone"], "Europe/Berlin");
    EXPECT_FALSE(result["cancel_url"].get<std::string>().empty());
    EXPECT_FALSE(result["reschedule_url"].get<std::string>().empty());
    const auto bookings = fake->bookings();
    ASSERT_EQ(bookings.size(), 1u);
    EXPECT_EQ(bookings[0].event_type_uri, type);
    EXPECT_EQ(bookings[0].timezone, "Europe/Berlin");
    EXPECT_EQ(result["event"], bookings[0].event_uri);
    ASSERT_EQ(expected_bookings.size(), 1u);
    EXPECT_EQ(expected_bookings[0].email, "ada@example.com");
    EXPECT_EQ(expected_bookings[0].event_type_uri, type);
    EXPECT_EQ(expected_bookings[0].start_time, start);
}

TEST_F(CalendlyToolsTest, ABookingTheDailyBudgetRefusesLeavesNoExpectationBehind) {
    // Review N4: an expectation registered for a booking that never reached Calendly could match
    // another person's booking of the slot.
    BookingCaps spent({.bookings_per_day = 0}, clock);
    context->booking_caps = &spent;
    const std::string type = fake->event_type_uri("30min");
    const auto slots = open_slots(type);
    ASSERT_FALSE(slots.empty());
    const json booked = run(book_meeting(*context, booking_arguments("30min", slots.front().start_time, "UTC")));
    EXPECT_EQ(error_code(booked), "daily_booking_limit_reached") << booked.dump();
    EXPECT_TRUE(expected_bookings.empty());
}

TEST_F(CalendlyToolsTest, BookMeetingSettlesItsExpectationWithWhatCalendlyAnswered) {
    std::vector<std::pair<ExpectedBooking, BookingSettlement>> settled;
    context->on_booking_settled = [&settled](const ExpectedBooking& booking, BookingSettlement settlement) {
        settled.emplace_back(booking, settlement);
    };
    const std::string type = fake->event_type_uri("30min");
    const auto slots = open_slots(type);
    ASSERT_GE(slots.size(), 2u);
    fake->inject("/invitees", FaultPlan::error(400, 1));
    const json refused = run(book_meeting(*context, booking_arguments("30min", slots[0].start_time, "UTC")));
    EXPECT_TRUE(refused.contains("error")) << refused.dump();
    const json booked = run(book_meeting(*context, booking_arguments("30min", slots[1].start_time, "UTC")));
    ASSERT_EQ(booked["booked"], true) << booked.dump();
    ASSERT_EQ(settled.size(), 2u);
    EXPECT_EQ(settled[0].second, BookingSettlement::refused);
    EXPECT_EQ(settled[1].second, BookingSettlement::booked);
    EXPECT_EQ(settled[1].first.invitee_uri, booked["invitee"]);
    EXPECT_EQ(settled[1].first.start_time, slots[1].start_time);
}

TEST_F(CalendlyToolsTest, RefusedExpectationBooksNothingAndOffersThePublicPage) {
    allowed_bookings = 0;  // the relay's per-conversation limit, reached
    const std::string type = fake->event_type_uri("30min");
    const auto slots = open_slots(type);
    ASSERT_FALSE(slots.empty());
    const json booked = run(book_meeting(*context, booking_arguments("30min", slots.front().start_time, "UTC")));
    EXPECT_EQ(error_code(booked), "booking_limit_reached") << booked.dump();
    EXPECT_NE(booked["error"]["message"].get<std::string>().find(fake->scheduling_url_of(type)), std::string::npos);
    const json link = run(schedule_call(*context, {{"name", "Ada Lovelace"}, {"email", "ada@example.com"}}));
    EXPECT_EQ(error_code(link), "booking_limit_reached") << link.dump();
    EXPECT_TRUE(fake->bookings().empty());
    EXPECT_EQ(fake->request_count("/invitees"), 0u);
    EXPECT_EQ(fake->request_count("/scheduling_links"), 0u);
}

TEST_F(CalendlyToolsTest, BookMeetingOfATakenSlotOffersTheNearestOpenOnesAndBooksNothing) {
    const std::string type = fake->event_type_uri("30min");
    const auto slots = open_slots(type);
    // A slot with open neighbours half an hour either side.
    std::size_t i = 1;
    while (i + 1 < slots.size() && !(slots[i].start_time - slots[i - 1].start_time == 30min &&
                                     slots[i + 1].start_time - slots[i].start_time == 30min)) {
        ++i;
    }
    ASSERT_LT(i + 1, slots.size());
    const Timestamp taken = slots[i].start_time;
    ASSERT_TRUE(fake.run(client->create_invitee({type, taken, "Bob", "bob@example.com", "UTC", test::fake_meeting_location()})));

    const json result = run(book_meeting(*context, booking_arguments("30min", taken, "UTC")));
    EXPECT_EQ(result["booked"], false) << result.dump();
    EXPECT_EQ(result["reason"], "slot_unavailable");
    const auto& nearest = result["nearest_available_times"];
    ASSERT_FALSE(nearest.empty());
    EXPECT_LE(nearest.size(), 3u);
    std::vector<std::string> offered;
    for (const auto& slot : nearest) offered.push_back(slot["start_time"]);
    const auto offers = [&](Timestamp t) {
        return std::find(offered.begin(), offered.end(), format_rfc3339(t, 0s)) != offered.end();
    };
    EXPECT_TRUE(offers(slots[i - 1].start_time)) << result.dump();
    EXPECT_TRUE(offers(slots[i + 1].start_time)) << result.dump();
    EXPECT_FALSE(offers(taken));
    EXPECT_EQ(fake->bookings().size(), 1u);
    EXPECT_EQ(fake->request_count("/invitees"), 1u) << "only the first booking reached Calendly";
}

TEST_F(CalendlyToolsTest, BookingASlotJustSeenOpenAsksCalendlyOnlyToBookIt) {
    context->slots_seen_open = std::make_shared<SlotsSeenOpen>();
    const std::string type = fake->event_type_uri("30min");
    const auto slots = open_slots(type);
    ASSERT_FALSE(slots.empty());
    const json found = run(check_meeting_availability(*context, {{"event_type", "30min"}, {"timezone", "UTC"}}));
    ASSERT_GT(found["slot_count"].get<int>(), 0) << found.dump();
    fake->reset_counts();
    const json booked = run(book_meeting(*context, booking_arguments("30min", slots.front().start_time, "UTC")));
    EXPECT_EQ(booked["booked"], true) << booked.dump();
    EXPECT_EQ(fake->request_count("/invitees"), 1u);
    EXPECT_EQ(fake->request_count(), 1u) << "one round trip: no availability check before booking";
}

TEST_F(CalendlyToolsTest, ASlotTakenSinceItWasSeenOpenGetsTheNearestOpenOnes) {
    context->slots_seen_open = std::make_shared<SlotsSeenOpen>();
    const std::string type = fake->event_type_uri("30min");
    const auto slots = open_slots(type);
    ASSERT_GT(slots.size(), 2u);
    run(check_meeting_availability(*context, {{"event_type", "30min"}, {"timezone", "UTC"}}));
    const Timestamp taken = slots[1].start_time;
    ASSERT_TRUE(fake.run(client->create_invitee({type, taken, "Bob", "bob@example.com", "UTC", test::fake_meeting_location()})));

    const json result = run(book_meeting(*context, booking_arguments("30min", taken, "UTC")));
    EXPECT_EQ(result["booked"], false) << result.dump();
    EXPECT_EQ(result["reason"], "slot_unavailable");
    EXPECT_FALSE(result["nearest_available_times"].empty());
    EXPECT_EQ(fake->bookings().size(), 1u) << "only Bob's";
}

TEST_F(CalendlyToolsTest, BookMeetingRefusesBadArgumentsAndBooksNothing) {
    const std::string type = fake->event_type_uri("30min");
    const Timestamp future = clock.now() + 24h * 3;
    std::vector<std::pair<json, std::string>> cases;
    cases.emplace_back(booking_arguments(type, clock.now() - 1h, "UTC"), "start_time_in_past");
    cases.emplace_back(booking_arguments(type, future, "Nowhere/Special"), "invalid_timezone");
    cases.emplace_back(booking_arguments("Yoga Class", future, "UTC"), "unknown_event_type");
    json bad_email = booking_arguments(type, future, "UTC");
    bad_email["email"] = "ada@";
    cases.emplace_back(bad_email, "invalid_email");
    json no_time = booking_arguments(type, future, "UTC");
    no_time.erase("start_time");
    cases.emplace_back(no_time, "missing_field");
    json local_time = booking_arguments(type, future, "UTC");
    local_time["start_time"] = "2030-05-04T10:00:00";
    cases.emplace_back(local_time, "invalid_time");
    for (const auto& [arguments, code] : cases) {
        SCOPED_TRACE(arguments.dump());
        EXPECT_EQ(error_code(run(book_meeting(*context, arguments))), code);
    }
    EXPECT_EQ(fake->request_count("/invitees"), 0u);
}

TEST_F(CalendlyToolsTest, BookMeetingFallsBackToTheTypesBookingPageWhenAvailabilityFails) {
    fake->inject("/event_type_available_times", FaultPlan::error(500, 100));
    const json result = run(book_meeting(
        *context, booking_arguments("30min", clock.now() + 24h * 3, "America/New_York")));
    EXPECT_EQ(result["fallback"], true) << result.dump();
    EXPECT_EQ(result["booking_url"], fake->scheduling_url_of(fake->event_type_uri("30min")));
    EXPECT_EQ(fake->request_count("/invitees"), 0u);
}

TEST_F(CalendlyToolsTest, BookMeetingServerErrorIsReportedAsUnconfirmedNotRetried) {
    const std::string type = fake->event_type_uri("30min");
    const auto slots = open_slots(type);
    ASSERT_FALSE(slots.empty());
    fake->inject("/invitees", FaultPlan::error(500));
    const json result =
        run(book_meeting(*context, booking_arguments(type, slots.front().start_time, "UTC")));
    EXPECT_EQ(error_code(result), "booking_unconfirmed") << result.dump();
    EXPECT_EQ(result["booking_url"], fake->scheduling_url_of(type));
    EXPECT_EQ(fake->request_count("/invitees"), 1u);
}

// Through the registry, as the Realtime session calls them

TEST_F(CalendlyToolsTest, RegisteredToolsAreAdvertisedAndDispatched) {
    ToolRegistry registry(metrics);
    register_calendly_tools(registry, context);
    EXPECT_EQ(registry.names(),
              (std::vector<std::string>{"get_available_meeting_types", "check_meeting_availability",
                                        "schedule_call", "book_meeting"}));
    for (const auto& spec : registry.specs()) {
        EXPECT_EQ(spec["parameters"]["additionalProperties"], false) << spec.dump();
    }
    const json result = run(registry.dispatch("get_available_meeting_types", "", 5s));
    EXPECT_EQ(result["event_types"].size(), 5u) << result.dump();
    const json booked = run(registry.dispatch(
        "book_meeting",
        booking_arguments("30min", open_slots(fake->event_type_uri("30min")).front().start_time,
                          "UTC")
            .dump(),
        5s));
    EXPECT_EQ(booked["booked"], true) << booked.dump();
}

TEST_F(CalendlyToolsTest, RegistryHoldsArgumentsToTheToolSchemas) {
    ToolRegistry registry(metrics);
    register_calendly_tools(registry, context);
    const std::vector<std::pair<std::string, std::string>> calls = {
        {"schedule_call", R"({"name": "Ada Lovelace"})"},
        {"schedule_call", R"({"name": "Ada Lovelace", "email": "not-an-address"})"},
        {"book_meeting", R"({"event_type": "30min", "start_time": "tomorrow at 10", "name": "Ada",
                             "email": "ada@example.com", "timezone": "UTC"})"},
        {"check_meeting_availability", R"({"start_date": "next monday"})"},
        {"check_meeting_availability", R"({"event_type": "30min", "duration": 30})"},
        {"get_available_meeting_types", R"({"all": true})"},
    };
    for (const auto& [tool, arguments] : calls) {
        SCOPED_TRACE(tool + " " + arguments);
        EXPECT_EQ(error_code(run(registry.dispatch(tool, arguments, 5s))), "invalid_arguments");
    }
    EXPECT_EQ(fake->request_count(), 0u) << "nothing reached Calendly";
    EXPECT_TRUE(expected_bookings.empty());
}

}  // namespace
}  // namespace calrt::tools
