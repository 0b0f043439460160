// The fake Calendly server over real sockets: auth, wire format, pagination, availability rules,
// scheduled events, faults and request counting.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "support/running_fake_calendly.hpp"
#include "testing/fake_calendly/calendly_time.hpp"

namespace calrt::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::RunningFakeCalendly;
using test::with_query;
using Clock = std::chrono::system_clock;

json body_of(const test::HttpResponse& response) { return json::parse(response.body()); }

std::string header(const test::HttpResponse& response, std::string_view name) {
    return std::string(response[name]);
}

Clock::time_point time_of(const json& value) {
    return fake::parse_rfc3339(value.get<std::string>()).value();
}

std::string iso(Clock::time_point time) { return fake::format_calendly_time(time); }

void expect_invalid_argument(const test::HttpResponse& response, std::string_view parameter) {
    ASSERT_EQ(response.result_int(), 400u) << response.body();
    const auto body = body_of(response);
    EXPECT_EQ(body["title"], "Invalid Argument");
    EXPECT_EQ(body["message"], "The supplied parameters are invalid.");
    ASSERT_TRUE(body["details"].is_array()) << response.body();
    bool named = false;
    for (const auto& detail : body["details"]) named = named || detail["parameter"] == parameter;
    EXPECT_TRUE(named) << response.body();
}

class FakeCalendlyTest : public ::testing::Test {
  protected:
    std::string event_types_page(std::string count) {
        return with_query("/event_types",
                          {{"user", fake->user_uri()}, {"active", "true"}, {"count", count}});
    }
    std::string available_times(const std::string& event_type, Clock::time_point start,
                                Clock::time_point end) {
        return with_query(
            "/event_type_available_times",
            {{"event_type", event_type}, {"start_time", iso(start)}, {"end_time", iso(end)}});
    }

    RunningFakeCalendly fake;
};

TEST_F(FakeCalendlyTest, MissingTokenAnswersCalendly401) {
    const auto response = fake.call("GET", "/users/me", {}, std::string());
    ASSERT_EQ(response.result_int(), 401u);
    EXPECT_EQ(body_of(response),
              (json{{"title", "Unauthenticated"}, {"message", "The access token is invalid"}}));
}

TEST_F(FakeCalendlyTest, WrongTokenAnswersCalendly401) {
    const auto response = fake.call("GET", "/users/me", {}, std::string("not-the-token"));
    ASSERT_EQ(response.result_int(), 401u);
    EXPECT_EQ(body_of(response)["title"], "Unauthenticated");
}

TEST_F(FakeCalendlyTest, EveryResponseCarriesRateLimitHeaders) {
    for (const auto& response :
         {fake.get("/users/me"), fake.call("GET", "/users/me", {}, std::string("bad"))}) {
        EXPECT_EQ(header(response, "X-RateLimit-Limit"), "500");
        EXPECT_FALSE(header(response, "X-RateLimit-Remaining").empty());
        EXPECT_GT(std::stoi(header(response, "X-RateLimit-Reset")), 0);
    }
}

TEST_F(FakeCalendlyTest, CurrentUserIsTheSeededHostWithUrisOnTheFake) {
    const auto response = fake.get("/users/me");
    ASSERT_EQ(response.result_int(), 200u);
    const auto user = body_of(response)["resource"];
    EXPECT_EQ(user["uri"], fake->user_uri());
    EXPECT_EQ(user["current_organization"], fake->organization_uri());
    EXPECT_EQ(user["timezone"], "America/New_York");
    for (const char* field :
         {"name", "slug", "email", "scheduling_url", "created_at", "updated_at"}) {
        EXPECT_TRUE(user[field].is_string()) << field;
    }
    // The URI can be followed.
    EXPECT_EQ(body_of(fake.get(user["uri"].get<std::string>()))["resource"], user);
}

TEST_F(FakeCalendlyTest, EventTypesPaginateToTheLastPageAtCountTwo) {
    std::vector<std::string> uris;
    std::vector<std::size_t> page_sizes;
    std::string next = event_types_page("2");
    while (!next.empty()) {
        const auto response = fake.get(next);
        ASSERT_EQ(response.result_int(), 200u) << response.body();
        const auto body = body_of(response);
        for (const auto& type : body["collection"]) uris.push_back(type["uri"]);
        page_sizes.push_back(body["collection"].size());
        const auto& pagination = body["pagination"];
        for (const char* field :
             {"count", "next_page", "previous_page", "next_page_token", "previous_page_token"}) {
            EXPECT_TRUE(pagination.contains(field)) << field;
        }
        EXPECT_EQ(pagination["next_page"].is_null(), pagination["next_page_token"].is_null());
        EXPECT_EQ(pagination["previous_page"].is_null(), page_sizes.size() == 1);
        next = pagination["next_page"].is_null() ? "" : pagination["next_page"].get<std::string>();
        if (!next.empty()) {
            EXPECT_EQ(next.rfind(fake->base_url() + "/event_types?", 0), 0u) << next;
        }
    }
    EXPECT_EQ(page_sizes, (std::vector<std::size_t>{2, 2, 1}));
    EXPECT_EQ(uris, fake->active_event_type_uris());
}

TEST_F(FakeCalendlyTest, CountAboveOneHundredAnswers400NamingCount) {
    expect_invalid_argument(fake.get(event_types_page("101")), "count");
}

TEST_F(FakeCalendlyTest, EventTypesWithoutUserOrOrganizationAnswer400) {
    expect_invalid_argument(fake.get("/event_types"), "user");
}

TEST_F(FakeCalendlyTest, ActiveFalseListsOnlyTheInactiveType) {
    const auto body = body_of(fake.get(with_query(
        "/event_types", {{"organization", fake->organization_uri()}, {"active", "false"}})));
    ASSERT_EQ(body["collection"].size(), 1u);
    EXPECT_EQ(body["collection"][0]["uri"], fake->inactive_event_type_uri());
    EXPECT_EQ(body["collection"][0]["active"], false);
}

TEST_F(FakeCalendlyTest, EventTypeResourceHasCalendlyFields) {
    const std::string uri = fake->event_type_uri("30min");
    const auto response = fake.get(uri);
    ASSERT_EQ(response.result_int(), 200u);
    const auto type = body_of(response)["resource"];
    EXPECT_EQ(type["uri"], uri);
    EXPECT_EQ(type["duration"], 30);
    EXPECT_EQ(type["kind"], "solo");
    EXPECT_TRUE(type["pooling_type"].is_null());
    EXPECT_EQ(type["type"], "StandardEventType");
    EXPECT_EQ(type["booking_method"], "instant");
    EXPECT_EQ(type["secret"], false);
    EXPECT_TRUE(type["internal_note"].is_null());
    EXPECT_TRUE(type["deleted_at"].is_null());
    EXPECT_TRUE(type["custom_questions"].is_array());
    EXPECT_EQ(type["profile"]["owner"], fake->user_uri());
    EXPECT_EQ(type["scheduling_url"], fake->scheduling_url_of(uri));
    for (const char* field : {"name", "slug", "color", "created_at", "updated_at",
                              "description_plain", "description_html"}) {
        EXPECT_TRUE(type[field].is_string()) << field;
    }
}

TEST_F(FakeCalendlyTest, UnknownResourceAnswersCalendly404) {
    const auto response = fake.get("/event_types/no-such-type");
    ASSERT_EQ(response.result_int(), 404u);
    EXPECT_EQ(body_of(response)["title"], "Resource Not Found");
}

TEST_F(FakeCalendlyTest, UnknownPathAnswersCalendly404WithRateLimitHeaders) {
    const auto response = fake.get("/no_such_endpoint");
    ASSERT_EQ(response.result_int(), 404u);
    EXPECT_EQ(body_of(response)["title"], "Resource Not Found");
    EXPECT_EQ(header(response, "X-RateLimit-Limit"), "500");
}

TEST_F(FakeCalendlyTest, AvailableTimesAreWeekdaySlotsWithinWorkingHours) {
    const std::string type = fake->event_type_uri("60min-strategy");
    const auto start = Clock::now() + 1min;
    const auto response = fake.get(available_times(type, start, start + 7 * 24h));
    ASSERT_EQ(response.result_int(), 200u) << response.body();
    const auto body = body_of(response);
    EXPECT_FALSE(body.contains("pagination"));
    ASSERT_FALSE(body["collection"].empty());
    for (const auto& slot : body["collection"]) {
        const auto time = time_of(slot["start_time"]);
        const auto day = std::chrono::floor<std::chrono::days>(time);
        const auto weekday = std::chrono::weekday{day}.c_encoding();
        EXPECT_TRUE(weekday >= 1 && weekday <= 5) << slot;
        EXPECT_GE(time, day + 14h) << slot;
        EXPECT_LE(time + 60min, day + 22h) << slot;
        EXPECT_EQ((time - day) % 30min, 0min) << slot;
        EXPECT_GT(time, start);
        EXPECT_EQ(slot["status"], "available");
        EXPECT_EQ(slot["invitees_remaining"], 1);
        EXPECT_EQ(
            slot["scheduling_url"].get<std::string>().rfind(fake->scheduling_url_of(type) + "/", 0),
            0u);
    }
}

TEST_F(FakeCalendlyTest, AvailableTimesRejectAStartInThePast) {
    const auto now = Clock::now();
    expect_invalid_argument(
        fake.get(available_times(fake->event_type_uri("30min"), now - 1h, now + 24h)),
        "start_time");
}

TEST_F(FakeCalendlyTest, AvailableTimesAcceptThirtyOneDaysAndRejectMore) {
    // developer.calendly.com/release-notes/2026/7/9: up to 31 days per request, up from 7.
    const auto start = Clock::now() + 1h;
    EXPECT_EQ(fake.get(available_times(fake->event_type_uri("30min"), start, start + 31 * 24h)).result_int(), 200u);
    expect_invalid_argument(
        fake.get(available_times(fake->event_type_uri("30min"), start, start + 31 * 24h + 1min)),
        "end_time");
}

TEST(FakeCalendlySevenDayMode, AvailableTimesRejectARangeOverSevenDays) {
    FakeCalendlyOptions options;
    options.max_availability_range = std::chrono::days(7);  // as before 2026-07-09
    RunningFakeCalendly fake(options);
    const auto start = Clock::now() + 1h;
    const auto target = with_query("/event_type_available_times",
                                   {{"event_type", fake->event_type_uri("30min")},
                                    {"start_time", iso(start)},
                                    {"end_time", iso(start + 7 * 24h + 1min)}});
    const auto response = fake.get(target);
    ASSERT_EQ(response.result_int(), 400u);
    const auto body = body_of(response);
    EXPECT_EQ(body["title"], "Invalid Argument");
    EXPECT_EQ(body["message"], "The supplied parameters are invalid.");
    EXPECT_EQ(body["details"][0]["parameter"], "end_time");
    EXPECT_EQ(body["details"][0]["message"], "date range can be no greater than 7 days");
}

TEST_F(FakeCalendlyTest, BusyTimesStillRejectARangeOverSevenDays) {
    const auto now = Clock::now() + 1h;
    expect_invalid_argument(fake.get(with_query("/user_busy_times", {{"user", fake->user_uri()},
                                                                       {"start_time", iso(now)},
                                                                       {"end_time", iso(now + 7 * 24h + 1min)}})),
                            "end_time");
}

TEST_F(FakeCalendlyTest, AvailableTimesLeaveOutTheBookedMeeting) {
    const auto event = body_of(fake.get(fake->upcoming_event_uri()))["resource"];
    const auto booked = time_of(event["start_time"]);
    const auto day = std::chrono::floor<std::chrono::days>(booked);
    const auto body =
        body_of(fake.get(available_times(fake->event_type_uri("30min"), day, day + 24h)));
    ASSERT_FALSE(body["collection"].empty());
    for (const auto& slot : body["collection"]) {
        const auto time = time_of(slot["start_time"]);
        EXPECT_FALSE(time < time_of(event["end_time"]) && booked < time + 30min) << slot;
    }
}

TEST_F(FakeCalendlyTest, InactiveEventTypeHasNoAvailability) {
    const auto start = Clock::now() + 1min;
    const auto body =
        body_of(fake.get(available_times(fake->inactive_event_type_uri(), start, start + 7 * 24h)));
    EXPECT_TRUE(body["collection"].empty());
}

TEST_F(FakeCalendlyTest, BusyTimesListTheActiveMeetingsInRange) {
    const auto now = Clock::now();
    const auto response = fake.get(with_query(
        "/user_busy_times",
        {{"user", fake->user_uri()}, {"start_time", iso(now)}, {"end_time", iso(now + 7 * 24h)}}));
    ASSERT_EQ(response.result_int(), 200u) << response.body();
    const auto body = body_of(response);
    std::vector<std::string> events;
    for (const auto& busy : body["collection"]) {
        EXPECT_EQ(busy["type"], "calendly");
        events.push_back(busy["event"]["uri"]);
    }
    EXPECT_NE(std::find(events.begin(), events.end(), fake->upcoming_event_uri()), events.end());
    EXPECT_EQ(std::find(events.begin(), events.end(), fake->canceled_event_uri()), events.end());
}

TEST_F(FakeCalendlyTest, ScheduledEventsFilterByStatus) {
    const auto body = body_of(fake.get(
        with_query("/scheduled_events", {{"user", fake->user_uri()}, {"status", "canceled"}})));
    ASSERT_EQ(body["collection"].size(), 1u);
    EXPECT_EQ(body["collection"][0]["uri"], fake->canceled_event_uri());
    EXPECT_EQ(body["collection"][0]["cancellation"]["canceler_type"], "invitee");
}

TEST_F(FakeCalendlyTest, ScheduledEventsFilterByMinStartTimeAndSort) {
    const auto body =
        body_of(fake.get(with_query("/scheduled_events", {{"user", fake->user_uri()},
                                                          {"min_start_time", iso(Clock::now())},
                                                          {"sort", "start_time:desc"}})));
    ASSERT_GE(body["collection"].size(), 2u);
    Clock::time_point previous = Clock::time_point::max();
    for (const auto& event : body["collection"]) {
        const auto start = time_of(event["start_time"]);
        EXPECT_GT(start, Clock::now());
        EXPECT_LE(start, previous);
        previous = start;
    }
}

TEST_F(FakeCalendlyTest, ScheduledEventsFilterByInviteeEmail) {
    const auto body = body_of(
        fake.get(with_query("/scheduled_events", {{"user", fake->user_uri()},
                                                  {"invitee_email", "Sam.Patel@example.com"}})));
    ASSERT_EQ(body["collection"].size(), 1u);
    EXPECT_EQ(body["collection"][0]["uri"], fake->upcoming_event_uri());
}

TEST_F(FakeCalendlyTest, EventInviteesAreListedWithCalendlyFields) {
    const auto body = body_of(fake.get(fake->upcoming_event_uri() + "/invitees"));
    ASSERT_EQ(body["collection"].size(), 1u);
    const auto invitee = body["collection"][0];
    EXPECT_EQ(invitee["event"], fake->upcoming_event_uri());
    EXPECT_EQ(invitee["status"], "active");
    EXPECT_EQ(invitee["email"], "sam.patel@example.com");
    for (const char* field :
         {"uri", "name", "timezone", "cancel_url", "reschedule_url", "created_at"}) {
        EXPECT_TRUE(invitee[field].is_string()) << field;
    }
    EXPECT_TRUE(body["pagination"]["next_page"].is_null());
    EXPECT_EQ(body_of(fake.get(invitee["uri"].get<std::string>()))["resource"], invitee);
}

TEST_F(FakeCalendlyTest, InjectedRateLimitAnswers429WithResetHeaders) {
    fake->inject("/users/me", FaultPlan::rate_limited(7s));
    const auto limited = fake.get("/users/me");
    ASSERT_EQ(limited.result_int(), 429u);
    EXPECT_EQ(header(limited, "X-RateLimit-Remaining"), "0");
    EXPECT_EQ(header(limited, "X-RateLimit-Reset"), "7");
    EXPECT_EQ(header(limited, "Retry-After"), "7");
    EXPECT_TRUE(body_of(limited)["title"].is_string());
    EXPECT_EQ(fake.get("/users/me").result_int(), 200u);
}

TEST_F(FakeCalendlyTest, InjectedRateLimitCanOmitRetryAfter) {
    auto plan = FaultPlan::rate_limited(3s);
    plan.send_retry_after = false;
    fake->inject("/users/me", plan);
    const auto limited = fake.get("/users/me");
    ASSERT_EQ(limited.result_int(), 429u);
    EXPECT_EQ(header(limited, "X-RateLimit-Reset"), "3");
    EXPECT_TRUE(header(limited, "Retry-After").empty());
}

TEST_F(FakeCalendlyTest, InjectedServerErrorAnswersTheNextNRequestsOnly) {
    fake->inject("/event_types", FaultPlan::error(500, 2));
    const std::string target = event_types_page("2");
    EXPECT_EQ(fake.get(target).result_int(), 500u);
    EXPECT_EQ(body_of(fake.get(target))["title"], "Internal Server Error");
    EXPECT_EQ(fake.get(target).result_int(), 200u);
}

TEST_F(FakeCalendlyTest, InjectedFaultMatchesByPathPrefixAndMethod) {
    auto plan = FaultPlan::error(503);
    plan.method = "POST";
    fake->inject("/scheduled_events/", plan);
    EXPECT_EQ(fake.get(fake->upcoming_event_uri()).result_int(), 200u);
    EXPECT_EQ(fake.call("POST", fake->upcoming_event_uri() + "/cancellation", R"({"reason":"x"})")
                  .result_int(),
              503u);
}

TEST_F(FakeCalendlyTest, InjectedBadRequestCarriesDetails) {
    fake->inject("/users/me", FaultPlan::bad_request({{"user", "is invalid"}}));
    expect_invalid_argument(fake.get("/users/me"), "user");
}

TEST_F(FakeCalendlyTest, InjectedHangHoldsTheRequestUntilTheClientGivesUp) {
    fake->inject("/users/me", FaultPlan::hang());
    test::HttpTestClient impatient(fake->port(), 200ms);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_FALSE(impatient.request("GET", "/users/me",
                                   {{"Authorization", "Bearer " + fake->access_token()}}));
    EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
    EXPECT_EQ(fake.get("/users/me").result_int(), 200u);  // only one request hangs
}

TEST_F(FakeCalendlyTest, RequestCountsArePerExactPathAndInTotal) {
    fake.get("/users/me");
    fake.get("/users/me");
    fake.get(event_types_page("2"));
    EXPECT_EQ(fake->request_count("/users/me"), 2u);
    EXPECT_EQ(fake->request_count("/event_types"), 1u);
    EXPECT_EQ(fake->request_count("/users"), 0u);
    EXPECT_EQ(fake->request_count(), 3u);
    fake->reset_counts();
    EXPECT_EQ(fake->request_count("/users/me"), 0u);
    EXPECT_EQ(fake->request_count(), 0u);
}

}  // namespace
}  // namespace calrt::testing
