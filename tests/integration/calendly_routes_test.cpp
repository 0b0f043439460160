// /api/calendly over a real socket, the Calendly client talking to the fake Calendly over HTTP.
#include "support/calendly_routes_fixture.hpp"

#include <boost/url/parse.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace calrt::server {
namespace {

using test_support::CalendlyRoutesTest;
using test_support::kAdmin;

using namespace std::chrono_literals;
using nlohmann::json;
using testing::FaultPlan;

TEST_F(CalendlyRoutesTest, EventTypesListsTheHostsActiveTypes) {
    start();
    auto r = get("action=event-types");
    ASSERT_EQ(r.result_int(), 200u) << r.body();
    EXPECT_EQ(body(r)["event_types"].size(), 5u);
    EXPECT_EQ(body(r)["event_types"][0]["uri"], fake->active_event_type_uris().front());
}

TEST_F(CalendlyRoutesTest, EventInfoByUuidOrUri) {
    start();
    auto by_uuid = get("action=event-info&uuid=" + first_event_type_uuid());
    ASSERT_EQ(by_uuid.result_int(), 200u) << by_uuid.body();
    EXPECT_EQ(body(by_uuid)["event_type"]["uri"], fake->active_event_type_uris().front());
    auto by_uri = get("action=event-info&uri=" + fake->active_event_type_uris().front());
    EXPECT_EQ(by_uri.result_int(), 200u) << by_uri.body();
}

TEST_F(CalendlyRoutesTest, EventInfoErrors) {
    start();
    expect_error(get("action=event-info&uuid=00000000-0000-4000-8000-000000000000"), 404, "event_type_not_found");
    expect_error(get("action=event-info&uuid=../../users/me"), 400, "invalid_id");
    expect_error(get("action=event-info"), 400, "missing_field");
}

TEST_F(CalendlyRoutesTest, AvailabilityReturnsSlotsWithLocalTimes) {
    start();
    auto r = get("action=availability&event_type=" + first_event_type_uuid() + "&" + window(1, 9) +
                 "&timezone=Asia/Kolkata");
    ASSERT_EQ(r.result_int(), 200u) << r.body();
    auto times = body(r)["available_times"];
    ASSERT_FALSE(times.empty());
    EXPECT_TRUE(times[0].contains("scheduling_url"));
    EXPECT_TRUE(times[0].contains("invitees_remaining"));
    EXPECT_NE(times[0]["local_start_time"].get<std::string>().find("+05:30"), std::string::npos);
}

TEST_F(CalendlyRoutesTest, AvailabilityValidatesItsInputs) {
    start();
    const std::string type = "&event_type=" + first_event_type_uuid();
    expect_error(get("action=availability" + type + "&start_time=tomorrow&end_time=2030-01-01T00:00:00Z"), 400,
                 "invalid_time");
    expect_error(get("action=availability" + type + "&start_time=2030-01-02T00:00:00&end_time=2030-01-03T00:00:00Z"),
                 400, "invalid_time");
    expect_error(get("action=availability" + type + "&start_time=2030-01-02T00:00:00Z&end_time=2030-01-01T00:00:00Z"),
                 400, "invalid_time_range");
    expect_error(get("action=availability" + type + "&" + window(1, 2) + "&timezone=Mars/Olympus"), 400,
                 "invalid_timezone");
    auto unknown = get("action=availability" + type + "&" + window(1, 2) + "&colour=red");
    expect_error(unknown, 400, "unknown_field");
    EXPECT_NE(body(unknown)["error"]["message"].get<std::string>().find("colour"), std::string::npos);
}

TEST_F(CalendlyRoutesTest, UnknownActionListsTheValidOnes) {
    start();
    auto r = get("action=teleport");
    expect_error(r, 400, "unknown_action");
    const auto message = body(r)["error"]["message"].get<std::string>();
    for (const char* name : {"event-types", "event-info", "availability", "create-link", "book", "user",
                             "scheduled-events", "cancel"}) {
        EXPECT_NE(message.find(name), std::string::npos) << name;
    }
    expect_error(get(""), 400, "missing_action");
    auto wrong_method = get("action=book");
    expect_error(wrong_method, 405, "method_not_allowed");
    EXPECT_EQ(wrong_method["Allow"], "POST");
}

TEST_F(CalendlyRoutesTest, CreateLinkPrefillsASingleUseLink) {
    start();
    auto r = post({{"action", "create-link"}, {"name", "Zoë Ñandú"}, {"email", "zoe@example.com"},
                   {"purpose", "Q&A + demo"}});
    ASSERT_EQ(r.result_int(), 200u) << r.body();
    EXPECT_EQ(body(r)["fallback"], false);
    EXPECT_EQ(body(r)["event_type"]["uri"], fake->active_event_type_uris().front());
    const std::string booking_url = body(r)["booking_url"];  // the URL view below points into it
    auto url = boost::urls::parse_absolute_uri(booking_url);
    ASSERT_TRUE(url);
    EXPECT_EQ((*url->params().find("name")).value, "Zoë Ñandú");
    EXPECT_EQ((*url->params().find("a1")).value, "Q&A + demo");
}

TEST_F(CalendlyRoutesTest, CreateLinkFallsBackWhenCalendlyFails) {
    start();
    fake->inject("/scheduling_links", FaultPlan::error(500, 100));
    auto r = post({{"action", "create-link"}, {"name", "Ada"}, {"email", "ada@example.com"}});
    ASSERT_EQ(r.result_int(), 200u) << r.body();
    EXPECT_EQ(body(r)["fallback"], true);
    EXPECT_EQ(body(r)["booking_url"], "https://calendly.com/fallback/30min?name=Ada&email=ada%40example.com");
}

TEST_F(CalendlyRoutesTest, CreateLinkValidatesItsBody) {
    start();
    expect_error(post({{"action", "create-link"}, {"name", "Ada"}, {"email", "not-an-email"}}), 400, "invalid_email");
    expect_error(post({{"action", "create-link"}, {"name", std::string(201, 'a')}, {"email", "a@example.com"}}), 400,
                 "invalid_name");
    expect_error(post({{"action", "create-link"}, {"email", "a@example.com"}}), 400, "missing_field");
    expect_error(post({{"action", "create-link"}, {"name", "Ada"}, {"email", "a@example.com"}, {"extra", "x"}}), 400,
                 "unknown_field");
    expect_error(post({{"action", "create-link"}, {"name", 42}, {"email", "a@example.com"}}), 400, "invalid_field");
    expect_error(post(json::array({1, 2})), 400, "invalid_json");
    auto not_json = test::http_request(server.port(), "POST", "/api/calendly", {{"Content-Type", "application/json"}},
                                       "{oops");
    expect_error(not_json, 400, "invalid_json");
    auto wrong_type = test::http_request(server.port(), "POST", "/api/calendly", {{"Content-Type", "text/plain"}}, "{}");
    expect_error(wrong_type, 415, "unsupported_media_type");
    EXPECT_EQ(fake->request_count("/scheduling_links"), 0u) << "bad input changes nothing";
}

TEST_F(CalendlyRoutesTest, PublicPostsAreRateLimitedPerAddress) {
    start(std::string(kAdmin), /*per_minute=*/1, /*burst=*/2);
    const json request{{"action", "create-link"}, {"name", "Ada"}, {"email", "ada@example.com"}};
    EXPECT_EQ(post(request).result_int(), 200u);
    EXPECT_EQ(post(request).result_int(), 200u);
    auto limited = post(request);
    expect_error(limited, 429, "rate_limited");
    EXPECT_FALSE(limited["Retry-After"].empty());
}

TEST_F(CalendlyRoutesTest, BookBooksAnOpenSlot) {
    start();
    auto slots = get("action=availability&event_type=" + first_event_type_uuid() + "&" + window(1, 7));
    ASSERT_EQ(slots.result_int(), 200u) << slots.body();
    const std::string start_time = body(slots)["available_times"][0]["start_time"];
    auto r = post({{"action", "book"}, {"event_type", first_event_type_uuid()}, {"start_time", start_time},
                   {"name", "Ada Lovelace"}, {"email", "ada@example.com"}, {"timezone", "Europe/London"}});
    ASSERT_EQ(r.result_int(), 200u) << r.body();
    EXPECT_EQ(body(r)["invitee"]["email"], "ada@example.com");
    EXPECT_EQ(fake->bookings().size(), 1u);

    auto taken = post({{"action", "book"}, {"event_type", first_event_type_uuid()}, {"start_time", start_time},
                       {"name", "Bob"}, {"email", "bob@example.com"}, {"timezone", "Europe/London"}});
    EXPECT_GE(taken.result_int(), 400u) << taken.body();
    EXPECT_EQ(fake->bookings().size(), 1u);
}

TEST_F(CalendlyRoutesTest, WithVerifiedEmailsRequiredOnlyTheAdminTokenBooksOverRest) {
    start();
    context_->booking_requires_verified_email = true;
    auto slots = get("action=availability&event_type=" + first_event_type_uuid() + "&" + window(1, 7));
    ASSERT_EQ(slots.result_int(), 200u) << slots.body();
    const json booking{{"action", "book"}, {"event_type", first_event_type_uuid()},
                       {"start_time", body(slots)["available_times"][0]["start_time"]}, {"name", "Ada Lovelace"},
                       {"email", "ada@example.com"}, {"timezone", "Europe/London"}};
    // A public caller cannot have proven the email: refused before Calendly is asked anything.
    expect_error(post(booking), 403, "verified_email_required");
    expect_error(post(booking, "wrong"), 403, "verified_email_required");
    EXPECT_EQ(fake->request_count("/invitees"), 0u);
    EXPECT_TRUE(fake->bookings().empty());

    auto booked = post(booking, std::string(kAdmin));
    ASSERT_EQ(booked.result_int(), 200u) << booked.body();
    EXPECT_EQ(fake->bookings().size(), 1u);
}

TEST_F(CalendlyRoutesTest, BookValidatesItsBody) {
    start();
    const json base{{"action", "book"}, {"event_type", first_event_type_uuid()},
                    {"start_time", "2030-01-07T15:00:00Z"}, {"name", "Ada"}, {"email", "ada@example.com"},
                    {"timezone", "Europe/London"}};
    auto missing_zone = base;
    missing_zone.erase("timezone");
    expect_error(post(missing_zone), 400, "missing_field");
    auto bad_zone = base;
    bad_zone["timezone"] = "Nowhere/Town";
    expect_error(post(bad_zone), 400, "invalid_timezone");
    auto past = base;
    past["start_time"] = "2001-01-01T10:00:00Z";
    expect_error(post(past), 400, "start_time_in_past");
    EXPECT_EQ(fake->request_count("/invitees"), 0u);
}

TEST_F(CalendlyRoutesTest, AdminActionsNeedTheAdminToken) {
    start();
    expect_error(get("action=user"), 401, "admin_token_required");
    expect_error(get("action=user", "wrong"), 403, "admin_token_invalid");
    expect_error(get("action=scheduled-events"), 401, "admin_token_required");
    expect_error(post({{"action", "cancel"}, {"uuid", "x"}}), 401, "admin_token_required");
    auto user = get("action=user", std::string(kAdmin));
    ASSERT_EQ(user.result_int(), 200u) << user.body();
    EXPECT_EQ(body(user)["user"]["uri"], fake->user_uri());
}

TEST_F(CalendlyRoutesTest, AdminActionsAnswer503WithoutAConfiguredToken) {
    start("");
    auto r = get("action=user", "anything");
    expect_error(r, 503, "admin_not_configured");
    EXPECT_NE(r.body().find("API_ADMIN_TOKEN"), std::string::npos);
}

TEST_F(CalendlyRoutesTest, ScheduledEventsFilterAndCancel) {
    start();
    auto canceled = get("action=scheduled-events&status=canceled", std::string(kAdmin));
    ASSERT_EQ(canceled.result_int(), 200u) << canceled.body();
    const json canceled_body = body(canceled);  // a range-for over a temporary's member would dangle
    for (const auto& e : canceled_body["scheduled_events"]) EXPECT_EQ(e["status"], "canceled");
    expect_error(get("action=scheduled-events&status=maybe", std::string(kAdmin)), 400, "invalid_status");
    expect_error(get("action=scheduled-events&invitee_email=nope", std::string(kAdmin)), 400, "invalid_email");

    auto cancel = post({{"action", "cancel"}, {"uuid", *calendly::uuid_from_uri(fake->upcoming_event_uri())},
                        {"reason", "conflict"}},
                       std::string(kAdmin));
    ASSERT_EQ(cancel.result_int(), 200u) << cancel.body();
    EXPECT_EQ(body(cancel)["cancellation"]["reason"], "conflict");
    expect_error(post({{"action", "cancel"}, {"uuid", "00000000-0000-4000-8000-000000000000"}}, std::string(kAdmin)),
                 404, "scheduled_event_not_found");
}

TEST_F(CalendlyRoutesTest, ScheduledEventsSayWhetherTheListIsComplete) {
    start();
    auto complete = get("action=scheduled-events", std::string(kAdmin));
    ASSERT_EQ(complete.result_int(), 200u) << complete.body();
    EXPECT_EQ(body(complete)["truncated"], false);

    fake->inject("/scheduled_events", FaultPlan::stuck_pagination(false, 100));
    auto stuck = get("action=scheduled-events", std::string(kAdmin));
    ASSERT_EQ(stuck.result_int(), 200u) << stuck.body();
    EXPECT_EQ(body(stuck)["truncated"], true);
    EXPECT_FALSE(body(stuck)["scheduled_events"].empty()) << "the pages read so far";
}

TEST_F(CalendlyRoutesTest, CalendlyFailuresMapTo502And504WithoutLeakingTheToken) {
    start();
    fake->inject("/event_types", FaultPlan::error(500, 100));
    auto failed = get("action=event-types");
    expect_error(failed, 502, "calendly_unavailable");
    EXPECT_EQ(failed.body().find(fake->access_token()), std::string::npos);
    fake->clear_faults();
    fake->inject("/event_type_available_times", FaultPlan::hang(100));
    auto timed_out = get("action=availability&event_type=" + first_event_type_uuid() + "&" + window(1, 7));
    expect_error(timed_out, 504, "calendly_timeout");
    EXPECT_EQ(timed_out.body().find("127.0.0.1"), std::string::npos) << "the Calendly host stays in the log";
}

TEST_F(CalendlyRoutesTest, CalendlyRefusingTheHostsTokenNamesNoSetting) {
    start();
    fake->inject("/event_type_available_times", FaultPlan::error(401));
    auto refused = get("action=availability&event_type=" + first_event_type_uuid() + "&" + window(1, 7));
    expect_error(refused, 502, "calendly_auth_failed");
    EXPECT_EQ(refused.body().find("CALENDLY_"), std::string::npos) << refused.body();
}

}  // namespace
}  // namespace calrt::server
