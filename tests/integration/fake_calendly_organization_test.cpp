// The fake Calendly as an organization, over real sockets: members and roles, what a "user" token
// is refused, personal and team event types and their hosts, round robin and collective
// availability and booking, removing a member, event_type.* webhooks, and a generated organization
// of 500.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "calrt/server/responses.hpp"
#include "support/running_fake_calendly.hpp"
#include "support/test_signature.hpp"
#include "support/webhook_receiver.hpp"
#include "support/running_server.hpp"
#include "testing/fake_calendly/calendly_time.hpp"

namespace calrt::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::RunningFakeCalendly;
using test::WebhookReceiver;
using test::with_query;
using Clock = std::chrono::system_clock;

constexpr const char* kSigningKey = "organization-signing-key";
constexpr const char* kNoPermission = "You do not have permission to access this resource.";

json body_of(const test::HttpResponse& response) { return json::parse(response.body()); }

std::string iso(Clock::time_point time) { return fake::format_calendly_time(time); }

void expect_permission_denied(const test::HttpResponse& response, std::string_view message) {
    ASSERT_EQ(response.result_int(), 403u) << response.body();
    const auto body = body_of(response);
    EXPECT_EQ(body["title"], "Permission Denied");
    EXPECT_EQ(body["message"], message);
}

FakeCalendlyOptions sandbox_team(std::string token_role = "owner") {
    FakeCalendlyOptions options;
    options.sandbox_team = true;
    options.token_role = std::move(token_role);
    return options;
}

// Every item of a list, following next_page; `pages` counts the pages.
std::vector<json> all_items(RunningFakeCalendly& fake, std::string target,
                            std::size_t* pages = nullptr) {
    std::vector<json> items;
    std::size_t count = 0;
    while (!target.empty()) {
        const auto response = fake.get(target);
        EXPECT_EQ(response.result_int(), 200u) << response.body();
        if (response.result_int() != 200u) break;
        const auto body = body_of(response);
        for (const auto& item : body["collection"]) items.push_back(item);
        ++count;
        const auto& next = body["pagination"]["next_page"];
        target = next.is_null() ? "" : next.get<std::string>();
    }
    if (pages) *pages = count;
    return items;
}

class FakeCalendlyOrganizationTest : public ::testing::Test {
  protected:
    explicit FakeCalendlyOrganizationTest(FakeCalendlyOptions options = sandbox_team())
        : fake(std::move(options)) {}

    std::string member(std::string_view slug) { return fake->member_uri(slug); }
    std::string sales_demo() { return fake->team_event_type_uri("sales-demo"); }
    std::string panel_interview() { return fake->team_event_type_uri("panel-interview"); }

    // A member's personal type by slug, from GET /event_types?user=.
    std::string personal_type(const std::string& user_uri, std::string_view slug) {
        for (const auto& type : all_items(fake, with_query("/event_types", {{"user", user_uri}}))) {
            if (type["slug"] == slug && type["profile"]["type"] == "User") return type["uri"];
        }
        return {};
    }
    std::vector<std::string> open_starts(const std::string& event_type) {
        const auto start = Clock::now() + 1min;
        const auto response = fake.get(
            with_query("/event_type_available_times", {{"event_type", event_type},
                                                       {"start_time", iso(start)},
                                                       {"end_time", iso(start + 7 * 24h)}}));
        EXPECT_EQ(response.result_int(), 200u) << response.body();
        const auto body = body_of(response);
        std::vector<std::string> starts;
        for (const auto& slot : body["collection"]) starts.push_back(slot["start_time"]);
        return starts;
    }
    bool is_open(const std::string& event_type, const std::string& start) {
        const auto starts = open_starts(event_type);
        return std::find(starts.begin(), starts.end(), start) != starts.end();
    }
    // POST /invitees; `location_kind` empty for a type without locations (the round robin).
    test::HttpResponse book(const std::string& event_type, const std::string& start,
                            const std::string& location_kind, const std::string& email) {
        json request = {
            {"event_type", event_type},
            {"start_time", start},
            {"invitee", {{"name", "Ada Lovelace"}, {"email", email}, {"timezone", "UTC"}}}};
        if (!location_kind.empty()) request["location"] = {{"kind", location_kind}};
        return fake.call("POST", "/invitees", request.dump());
    }
    // The hosts the booking that made `invitee_response` was assigned, from FakeBooking.
    std::vector<std::string> hosts_of_booking(const test::HttpResponse& invitee_response) {
        const std::string invitee_uri = body_of(invitee_response)["resource"]["uri"];
        for (const auto& booking : fake->bookings()) {
            if (booking.invitee_uri == invitee_uri) return booking.host_uris;
        }
        return {};
    }

    RunningFakeCalendly fake;
};

class FakeCalendlyDefaultOrganizationTest : public FakeCalendlyOrganizationTest {
  protected:
    FakeCalendlyDefaultOrganizationTest() : FakeCalendlyOrganizationTest(FakeCalendlyOptions{}) {}
};

class FakeCalendlyUserTokenTest : public FakeCalendlyOrganizationTest {
  protected:
    FakeCalendlyUserTokenTest() : FakeCalendlyOrganizationTest(sandbox_team("user")) {}
};

TEST_F(FakeCalendlyDefaultOrganizationTest, HasTheTokenUserAsItsOnlyMemberAndOwner) {
    EXPECT_EQ(fake->member_uris(), std::vector<std::string>{fake->user_uri()});
    const auto response = fake.get(
        with_query("/organization_memberships", {{"organization", fake->organization_uri()}}));
    ASSERT_EQ(response.result_int(), 200u) << response.body();
    const auto body = body_of(response);
    ASSERT_EQ(body["collection"].size(), 1u);
    const auto membership = body["collection"][0];
    EXPECT_EQ(membership["role"], "owner");
    EXPECT_EQ(membership["organization"], fake->organization_uri());
    EXPECT_EQ(membership["user"]["uri"], fake->user_uri());
    EXPECT_EQ(membership["user"]["name"], "Alex Rivera");
    EXPECT_TRUE(membership["user"]["avatar_url"].is_null());
    EXPECT_EQ(membership["user"]["locale"], "en");
    EXPECT_EQ(membership["user"]["time_notation"], "12h");
    for (const char* field :
         {"slug", "email", "scheduling_url", "timezone", "created_at", "updated_at"})
        EXPECT_TRUE(membership["user"][field].is_string()) << field;
    EXPECT_EQ(membership["uri"].get<std::string>().rfind(
                  fake->base_url() + "/organization_memberships/", 0),
              0u);
    // The URI can be followed.
    EXPECT_EQ(body_of(fake.get(membership["uri"].get<std::string>()))["resource"], membership);
    EXPECT_TRUE(body["pagination"]["next_page"].is_null());
}

TEST_F(FakeCalendlyDefaultOrganizationTest, MembershipsNeedAnOrganizationOrAUser) {
    const auto response = fake.get("/organization_memberships");
    ASSERT_EQ(response.result_int(), 400u);
    EXPECT_EQ(body_of(response)["details"][0]["parameter"], "user");
    expect_permission_denied(
        fake.get(with_query("/organization_memberships",
                            {{"organization", fake->base_url() + "/organizations/another"}})),
        kNoPermission);
}

TEST_F(FakeCalendlyOrganizationTest, SandboxTeamListsFourMembersAcrossPagesAtCountTwo) {
    std::size_t pages = 0;
    const auto members =
        all_items(fake,
                  with_query("/organization_memberships",
                             {{"organization", fake->organization_uri()}, {"count", "2"}}),
                  &pages);
    EXPECT_EQ(pages, 2u);
    std::vector<std::string> slugs;
    std::vector<std::string> roles;
    std::vector<std::string> uris;
    for (const auto& membership : members) {
        slugs.push_back(membership["user"]["slug"]);
        roles.push_back(membership["role"]);
        uris.push_back(membership["user"]["uri"]);
    }
    EXPECT_EQ(slugs, (std::vector<std::string>{"alex-rivera", "dana-whitfield", "priya-natarajan",
                                               "marcus-bell"}));
    EXPECT_EQ(roles, (std::vector<std::string>{"owner", "user", "user", "admin"}));
    EXPECT_EQ(uris, fake->member_uris());
    EXPECT_EQ(members[1]["user"]["timezone"], "America/Chicago");
    EXPECT_EQ(members[1]["user"]["scheduling_url"], fake->base_url() + "/dana-whitfield");
}

TEST_F(FakeCalendlyOrganizationTest, MembershipsFilterByUserAndByEmail) {
    const auto by_user = body_of(fake.get(
        with_query("/organization_memberships",
                   {{"organization", fake->organization_uri()}, {"user", member("marcus-bell")}})));
    ASSERT_EQ(by_user["collection"].size(), 1u);
    EXPECT_EQ(by_user["collection"][0]["role"], "admin");
    const auto by_email = body_of(fake.get(with_query(
        "/organization_memberships",
        {{"organization", fake->organization_uri()}, {"email", "Priya.Natarajan@example.com"}})));
    ASSERT_EQ(by_email["collection"].size(), 1u);
    EXPECT_EQ(by_email["collection"][0]["user"]["uri"], member("priya-natarajan"));
}

TEST_F(FakeCalendlyOrganizationTest, AnyMemberIsAUser) {
    const auto response = fake.get(member("dana-whitfield"));
    ASSERT_EQ(response.result_int(), 200u) << response.body();
    const auto user = body_of(response)["resource"];
    EXPECT_EQ(user["name"], "Dana Whitfield");
    EXPECT_EQ(user["current_organization"], fake->organization_uri());
}

TEST_F(FakeCalendlyUserTokenTest, IsRefusedOrganizationWideLists) {
    const std::string organization = fake->organization_uri();
    expect_permission_denied(fake.get(with_query("/event_types", {{"organization", organization}})),
                             kNoPermission);
    expect_permission_denied(
        fake.get(with_query("/organization_memberships", {{"organization", organization}})),
        kNoPermission);
    expect_permission_denied(
        fake.get(with_query("/scheduled_events", {{"organization", organization}})), kNoPermission);
    expect_permission_denied(
        fake.get(with_query("/webhook_subscriptions",
                            {{"organization", organization}, {"scope", "organization"}})),
        kNoPermission);
    const json subscription = {{"url", "https://example.com/hooks"},
                               {"events", {"invitee.created"}},
                               {"organization", organization},
                               {"scope", "organization"}};
    expect_permission_denied(fake.call("POST", "/webhook_subscriptions", subscription.dump()),
                             kNoPermission);
}

TEST_F(FakeCalendlyUserTokenTest, GetsItsOwnMembershipTypesMeetingsAndBusyTimes) {
    const std::string self = fake->user_uri();
    const auto membership =
        body_of(fake.get(with_query("/organization_memberships",
                                    {{"organization", fake->organization_uri()}, {"user", self}})));
    ASSERT_EQ(membership["collection"].size(), 1u);
    EXPECT_EQ(membership["collection"][0]["role"], "user");
    EXPECT_EQ(fake.get(with_query("/event_types", {{"user", self}})).result_int(), 200u);
    EXPECT_EQ(fake.get(with_query("/scheduled_events", {{"user", self}})).result_int(), 200u);
    const auto now = Clock::now();
    EXPECT_EQ(fake.get(with_query("/user_busy_times", {{"user", self},
                                                       {"start_time", iso(now)},
                                                       {"end_time", iso(now + 24h)}}))
                  .result_int(),
              200u);
    const json subscription = {{"url", "https://example.com/hooks"},
                               {"events", {"invitee.created"}},
                               {"organization", fake->organization_uri()},
                               {"scope", "user"},
                               {"user", self}};
    EXPECT_EQ(fake.call("POST", "/webhook_subscriptions", subscription.dump()).result_int(), 201u);
}

TEST_F(FakeCalendlyUserTokenTest, IsRefusedAnotherMembersDataAndAStrangers) {
    const auto now = Clock::now();
    const auto busy_times = [&](const std::string& user) {
        return fake.get(
            with_query("/user_busy_times",
                       {{"user", user}, {"start_time", iso(now)}, {"end_time", iso(now + 24h)}}));
    };
    expect_permission_denied(busy_times(member("dana-whitfield")), kNoPermission);
    expect_permission_denied(busy_times(fake->base_url() + "/users/not-a-member"),
                             "This user is not in your organization");
    expect_permission_denied(
        fake.get(with_query("/event_types", {{"user", member("dana-whitfield")}})), kNoPermission);
    expect_permission_denied(
        fake.get(with_query("/organization_memberships", {{"user", member("marcus-bell")}})),
        kNoPermission);
}

TEST_F(FakeCalendlyOrganizationTest, AdminTokenReadsAnyMembersBusyTimes) {
    const auto now = Clock::now();
    EXPECT_EQ(fake.get(with_query("/user_busy_times", {{"user", member("dana-whitfield")},
                                                       {"start_time", iso(now)},
                                                       {"end_time", iso(now + 24h)}}))
                  .result_int(),
              200u);
    expect_permission_denied(
        fake.get(with_query("/user_busy_times", {{"user", fake->base_url() + "/users/stranger"},
                                                 {"start_time", iso(now)},
                                                 {"end_time", iso(now + 24h)}})),
        "This user is not in your organization");
}

TEST_F(FakeCalendlyOrganizationTest, OrganizationEventTypesIncludePersonalAndTeamTypes) {
    const auto types = all_items(
        fake,
        with_query("/event_types", {{"organization", fake->organization_uri()}, {"count", "100"}}));
    std::map<std::string, json> by_uri;
    std::size_t thirty_minute_meetings = 0;
    for (const auto& type : types) {
        by_uri[type["uri"]] = type;
        if (type["name"] == "30 Minute Meeting") ++thirty_minute_meetings;
    }
    EXPECT_EQ(thirty_minute_meetings, 4u);  // Alex's and each new member's
    EXPECT_EQ(types.size(), 6u + 3u + 2u);  // Alex's six, three members', two team types

    const auto sales = by_uri.at(sales_demo());
    EXPECT_EQ(sales["name"], "Sales demo");
    EXPECT_EQ(sales["pooling_type"], "round_robin");
    EXPECT_EQ(sales["kind_description"], "Round Robin");
    EXPECT_EQ(sales["duration"], 30);
    EXPECT_TRUE(sales["locations"].is_null());
    EXPECT_EQ(sales["description_plain"],
              "A 30-minute product demo with someone from our sales team.");
    EXPECT_EQ(sales["profile"]["type"], "Team");
    EXPECT_EQ(sales["profile"]["name"], "Sales");
    EXPECT_EQ(sales["profile"]["owner"].get<std::string>().rfind(fake->base_url() + "/teams/", 0),
              0u);
    EXPECT_EQ(sales["scheduling_url"], fake->base_url() + "/team/sales/sales-demo");
    EXPECT_EQ(sales["admin_managed"], false);

    const auto panel = by_uri.at(panel_interview());
    EXPECT_EQ(panel["pooling_type"], "collective");
    EXPECT_EQ(panel["kind_description"], "Collective");
    EXPECT_EQ(panel["duration"], 45);
    EXPECT_EQ(panel["profile"]["name"], "Recruiting");
    EXPECT_EQ(panel["locations"][0]["kind"], "google_conference");
    EXPECT_EQ(panel["scheduling_url"], fake->base_url() + "/team/recruiting/panel-interview");

    const auto dana_type = by_uri.at(personal_type(member("dana-whitfield"), "30min"));
    EXPECT_TRUE(dana_type["pooling_type"].is_null());
    EXPECT_EQ(
        dana_type["profile"],
        (json{{"type", "User"}, {"name", "Dana Whitfield"}, {"owner", member("dana-whitfield")}}));
    EXPECT_EQ(dana_type["scheduling_url"], fake->base_url() + "/dana-whitfield/30min");
}

TEST_F(FakeCalendlyOrganizationTest, MemberEventTypesAreItsOwnAndTheTeamTypesItHosts) {
    std::set<std::string> names;
    for (const auto& type :
         all_items(fake, with_query("/event_types", {{"user", member("dana-whitfield")}})))
        names.insert(type["name"]);
    EXPECT_EQ(names, (std::set<std::string>{"30 Minute Meeting", "Panel interview", "Sales demo"}));

    std::set<std::string> alex;
    for (const auto& type :
         all_items(fake, with_query("/event_types", {{"user", fake->user_uri()}})))
        alex.insert(type["name"]);
    EXPECT_TRUE(alex.contains("Panel interview"));
    EXPECT_FALSE(alex.contains("Sales demo"));
}

TEST_F(FakeCalendlyOrganizationTest, EventTypeMembershipsListTheHostsWithPagination) {
    std::size_t pages = 0;
    const auto hosts = all_items(
        fake, with_query("/event_type_memberships", {{"event_type", sales_demo()}, {"count", "2"}}),
        &pages);
    EXPECT_EQ(pages, 2u);
    std::vector<std::string> members;
    for (const auto& host : hosts) {
        members.push_back(host["member"]["uri"]);
        EXPECT_EQ(host["event_type"]["uri"], sales_demo());
        EXPECT_EQ(host["event_type"]["pooling_type"], "round_robin");
        EXPECT_TRUE(host["member"]["avatar_url"].is_null());
        for (const char* field : {"name", "slug", "email", "scheduling_url", "timezone"})
            EXPECT_TRUE(host["member"][field].is_string()) << field;
        EXPECT_EQ(
            host["uri"].get<std::string>().rfind(fake->base_url() + "/event_type_memberships/", 0),
            0u);
    }
    EXPECT_EQ(members,
              (std::vector<std::string>{member("dana-whitfield"), member("priya-natarajan"),
                                        member("marcus-bell")}));
    EXPECT_NE(hosts[0]["uri"], hosts[1]["uri"]);

    // A personal type's one host is its owner.
    const auto personal = body_of(fake.get(
        with_query("/event_type_memberships", {{"event_type", fake->event_type_uri("15min")}})));
    ASSERT_EQ(personal["collection"].size(), 1u);
    EXPECT_EQ(personal["collection"][0]["member"]["uri"], fake->user_uri());
}

TEST_F(FakeCalendlyOrganizationTest, EventTypeMembershipsNeedAKnownEventType) {
    const auto missing = fake.get("/event_type_memberships");
    ASSERT_EQ(missing.result_int(), 400u);
    EXPECT_EQ(body_of(missing)["title"], "Invalid Argument");
    EXPECT_EQ(body_of(missing)["details"][0]["parameter"], "event_type");
    const auto unknown = fake.get(with_query(
        "/event_type_memberships", {{"event_type", fake->base_url() + "/event_types/unknown"}}));
    ASSERT_EQ(unknown.result_int(), 404u);
    EXPECT_EQ(body_of(unknown)["title"], "Resource Not Found");
}

TEST_F(FakeCalendlyOrganizationTest, RoundRobinIsOpenWhileOneHostIsFree) {
    const std::string start = open_starts(sales_demo()).at(0);
    for (const char* slug : {"dana-whitfield", "priya-natarajan"}) {
        ASSERT_EQ(book(personal_type(member(slug), "30min"), start, "google_conference",
                       "guest@example.com")
                      .result_int(),
                  201u);
    }
    EXPECT_TRUE(is_open(sales_demo(), start));  // Marcus is free
    ASSERT_EQ(book(personal_type(member("marcus-bell"), "30min"), start, "google_conference",
                   "guest@example.com")
                  .result_int(),
              201u);
    EXPECT_FALSE(is_open(sales_demo(), start));
}

TEST_F(FakeCalendlyOrganizationTest, RoundRobinAssignsTheHostsInTurn) {
    const auto starts = open_starts(sales_demo());
    ASSERT_GE(starts.size(), 3u);
    std::set<std::string> hosts;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto response =
            book(sales_demo(), starts[i], "", "guest" + std::to_string(i) + "@example.com");
        ASSERT_EQ(response.result_int(), 201u) << response.body();
        const auto assigned = hosts_of_booking(response);
        ASSERT_EQ(assigned.size(), 1u);
        hosts.insert(assigned[0]);
    }
    EXPECT_EQ(hosts, (std::set<std::string>{member("dana-whitfield"), member("priya-natarajan"),
                                            member("marcus-bell")}));
}

TEST_F(FakeCalendlyOrganizationTest, RoundRobinBooksEachFreeHostOnceAtTheSameStart) {
    const std::string start = open_starts(sales_demo()).at(0);
    std::set<std::string> hosts;
    for (int i = 0; i < 3; ++i) {
        const auto response =
            book(sales_demo(), start, "", "guest" + std::to_string(i) + "@example.com");
        ASSERT_EQ(response.result_int(), 201u) << response.body();
        hosts.insert(hosts_of_booking(response).at(0));
    }
    EXPECT_EQ(hosts.size(), 3u);
    const auto fourth = book(sales_demo(), start, "", "late@example.com");
    ASSERT_EQ(fourth.result_int(), 400u) << fourth.body();
    EXPECT_EQ(body_of(fourth)["details"][0]["parameter"], "start_time");
    EXPECT_FALSE(is_open(sales_demo(), start));
}

TEST_F(FakeCalendlyOrganizationTest, TeamBookingNamesItsAssignedHostInEventMemberships) {
    const auto response =
        book(sales_demo(), open_starts(sales_demo()).at(0), "", "ada@example.com");
    ASSERT_EQ(response.result_int(), 201u) << response.body();
    const std::string host = hosts_of_booking(response).at(0);
    const auto event =
        body_of(fake.get(body_of(response)["resource"]["event"].get<std::string>()))["resource"];
    ASSERT_EQ(event["event_memberships"].size(), 1u);
    EXPECT_EQ(event["event_memberships"][0]["user"], host);
    const auto user = body_of(fake.get(host))["resource"];
    EXPECT_EQ(event["event_memberships"][0]["user_name"], user["name"]);
    EXPECT_EQ(event["event_memberships"][0]["user_email"], user["email"]);
    // The assigned host's list has it; the organization's too.
    const auto hosted = body_of(fake.get(with_query("/scheduled_events", {{"user", host}})));
    ASSERT_EQ(hosted["collection"].size(), 1u);
    EXPECT_EQ(hosted["collection"][0]["uri"], event["uri"]);
}

TEST_F(FakeCalendlyOrganizationTest, CollectiveNeedsEveryHostFreeAndBooksThemAll) {
    const auto panel_starts = open_starts(panel_interview());
    ASSERT_GE(panel_starts.size(), 2u);
    const std::string taken = panel_starts[0];
    ASSERT_EQ(book(personal_type(member("dana-whitfield"), "30min"), taken, "google_conference",
                   "guest@example.com")
                  .result_int(),
              201u);
    EXPECT_FALSE(is_open(panel_interview(), taken));
    EXPECT_TRUE(is_open(personal_type(member("priya-natarajan"), "30min"), taken));

    const std::string start = open_starts(panel_interview()).at(0);
    const auto response =
        book(panel_interview(), start, "google_conference", "candidate@example.com");
    ASSERT_EQ(response.result_int(), 201u) << response.body();
    EXPECT_EQ(hosts_of_booking(response),
              (std::vector<std::string>{fake->user_uri(), member("dana-whitfield"),
                                        member("priya-natarajan")}));
    const auto event =
        body_of(fake.get(body_of(response)["resource"]["event"].get<std::string>()))["resource"];
    EXPECT_EQ(event["event_memberships"].size(), 3u);
}

TEST_F(FakeCalendlyOrganizationTest, TeamSchedulingUrlOpensABookingPageThatAssignsAHost) {
    const std::string scheduling_url =
        body_of(fake.get(sales_demo()))["resource"]["scheduling_url"];
    const auto page = fake.get(scheduling_url);
    ASSERT_EQ(page.result_int(), 200u) << page.body();
    EXPECT_NE(page.body().find("Sales demo"), std::string::npos);
    EXPECT_NE(page.body().find("with Sales"), std::string::npos);

    const std::string slot =
        fake::format_compact_time(fake::parse_rfc3339(open_starts(sales_demo()).at(0)).value());
    const auto booked = test::http_request(
        fake->port(), "POST", fake.target_of(scheduling_url),
        {{"Content-Type", "application/x-www-form-urlencoded"}},
        "name=Ada+Lovelace&email=ada%40example.com&timezone=UTC&start_time=" + slot);
    ASSERT_EQ(booked.result_int(), 200u) << booked.body();
    const auto bookings = fake->bookings();
    ASSERT_EQ(bookings.size(), 1u);
    EXPECT_EQ(bookings[0].source, "booking_page");
    EXPECT_EQ(bookings[0].host_uris, std::vector<std::string>{member("dana-whitfield")});
}

TEST_F(FakeCalendlyOrganizationTest, SingleUseLinkOfARoundRobinAssignsAHost) {
    const json request = {
        {"max_event_count", 1}, {"owner", sales_demo()}, {"owner_type", "EventType"}};
    const auto created = fake.call("POST", "/scheduling_links", request.dump());
    ASSERT_EQ(created.result_int(), 201u) << created.body();
    const std::string booking_url = body_of(created)["resource"]["booking_url"];
    const std::string slot =
        fake::format_compact_time(fake::parse_rfc3339(open_starts(sales_demo()).at(0)).value());
    const auto booked = test::http_request(
        fake->port(), "POST", fake.target_of(booking_url),
        {{"Content-Type", "application/x-www-form-urlencoded"}},
        "name=Ada+Lovelace&email=ada%40example.com&timezone=UTC&start_time=" + slot);
    ASSERT_EQ(booked.result_int(), 200u) << booked.body();
    const auto bookings = fake->bookings();
    ASSERT_EQ(bookings.size(), 1u);
    EXPECT_EQ(bookings[0].source, "scheduling_link");
    EXPECT_EQ(bookings[0].host_uris.size(), 1u);
}

TEST_F(FakeCalendlyOrganizationTest, OrganizationScheduledEventsListEveryMembersMeetings) {
    const auto booked = book(personal_type(member("priya-natarajan"), "30min"),
                             open_starts(sales_demo()).at(0), "google_conference", "g@example.com");
    ASSERT_EQ(booked.result_int(), 201u);
    const std::string event = body_of(booked)["resource"]["event"];
    const auto uris_of = [](const std::vector<json>& events) {
        std::vector<std::string> uris;
        for (const auto& e : events) uris.push_back(e["uri"]);
        return uris;
    };
    const auto organization = uris_of(all_items(
        fake, with_query("/scheduled_events", {{"organization", fake->organization_uri()}})));
    EXPECT_NE(std::find(organization.begin(), organization.end(), event), organization.end());
    EXPECT_NE(std::find(organization.begin(), organization.end(), fake->upcoming_event_uri()),
              organization.end());
    const auto alex =
        uris_of(all_items(fake, with_query("/scheduled_events", {{"user", fake->user_uri()}})));
    EXPECT_EQ(std::find(alex.begin(), alex.end(), event), alex.end());
    const auto priya = uris_of(
        all_items(fake, with_query("/scheduled_events", {{"organization", fake->organization_uri()},
                                                         {"user", member("priya-natarajan")}})));
    EXPECT_EQ(priya, std::vector<std::string>{event});
}

TEST_F(FakeCalendlyOrganizationTest, RemovedMemberLeavesTheMembersAndTheTeamHosts) {
    const std::string priya = member("priya-natarajan");
    const std::string priya_type = personal_type(priya, "30min");
    fake->remove_member(priya);

    EXPECT_EQ(fake->member_uris().size(), 3u);
    EXPECT_TRUE(fake->member_uri("priya-natarajan").empty());
    EXPECT_EQ(all_items(fake, with_query("/organization_memberships",
                                         {{"organization", fake->organization_uri()}}))
                  .size(),
              3u);
    std::vector<std::string> hosts;
    for (const auto& host :
         all_items(fake, with_query("/event_type_memberships", {{"event_type", sales_demo()}})))
        hosts.push_back(host["member"]["uri"]);
    EXPECT_EQ(hosts, (std::vector<std::string>{member("dana-whitfield"), member("marcus-bell")}));
    for (const auto& type :
         all_items(fake, with_query("/event_types", {{"organization", fake->organization_uri()}})))
        EXPECT_NE(type["uri"], priya_type);
    EXPECT_EQ(fake.get(priya).result_int(), 404u);
    expect_permission_denied(fake.get(with_query("/event_types", {{"user", priya}})),
                             "This user is not in your organization");
}

TEST_F(FakeCalendlyOrganizationTest, AddedMemberHasAThirtyMinuteMeeting) {
    const std::string uri = fake->add_member("Lee Park", "lee-park", "user");
    EXPECT_EQ(fake->member_uri("lee-park"), uri);
    EXPECT_EQ(fake->member_uris().back(), uri);
    const auto types = all_items(fake, with_query("/event_types", {{"user", uri}}));
    ASSERT_EQ(types.size(), 1u);
    EXPECT_EQ(types[0]["name"], "30 Minute Meeting");
    EXPECT_FALSE(open_starts(types[0]["uri"]).empty());
}

TEST_F(FakeCalendlyOrganizationTest, TeamTypeChangesDeliverSignedEventTypeWebhooks) {
    WebhookReceiver receiver;
    const json subscription = {{"url", receiver.url()},
                               {"events", {"event_type.created", "event_type.updated"}},
                               {"organization", fake->organization_uri()},
                               {"scope", "organization"},
                               {"signing_key", kSigningKey}};
    ASSERT_EQ(fake.call("POST", "/webhook_subscriptions", subscription.dump()).result_int(), 201u);

    const std::string type = fake->add_team_event_type(
        "Onboarding", "onboarding", 60, "round_robin",
        {member("dana-whitfield"), member("marcus-bell")}, "Customer Success");
    ASSERT_TRUE(test::wait_until([&] { return receiver.received().size() == 1; }));
    fake->rename_event_type(type, "Onboarding call");
    ASSERT_TRUE(test::wait_until([&] { return receiver.received().size() == 2; }));

    std::map<std::string, json> by_event;
    for (const auto& delivery : receiver.received()) {
        const auto comma = delivery.signature.find(",v1=");
        ASSERT_EQ(delivery.signature.rfind("t=", 0), 0u) << delivery.signature;
        ASSERT_NE(comma, std::string::npos);
        const std::string timestamp = delivery.signature.substr(2, comma - 2);
        EXPECT_EQ(delivery.signature, test::calendly_signature(kSigningKey, std::stoll(timestamp), delivery.body));
        const auto envelope = json::parse(delivery.body);
        EXPECT_EQ(envelope["created_by"], fake->user_uri());
        EXPECT_TRUE(envelope["created_at"].is_string());
        by_event[envelope["event"]] = envelope["payload"];
    }
    EXPECT_EQ(by_event.at("event_type.created")["uri"], type);
    EXPECT_EQ(by_event.at("event_type.created")["name"], "Onboarding");
    EXPECT_EQ(by_event.at("event_type.created")["profile"]["name"], "Customer Success");
    EXPECT_EQ(by_event.at("event_type.updated")["name"], "Onboarding call");
    EXPECT_EQ(body_of(fake.get(type))["resource"]["name"], "Onboarding call");
    EXPECT_EQ(body_of(fake.get(type))["resource"]["scheduling_url"],
              fake->base_url() + "/team/customer-success/onboarding");
}

TEST_F(FakeCalendlyOrganizationTest, UserScopeSubscriptionHearsOnlyTheMeetingsItsUserHosts) {
    WebhookReceiver dana_receiver;
    WebhookReceiver organization_receiver;
    const auto subscribe = [&](const std::string& url, const std::string& scope,
                               const std::string& user) {
        json subscription = {{"url", url},
                             {"events", {"invitee.created"}},
                             {"organization", fake->organization_uri()},
                             {"scope", scope}};
        if (!user.empty()) subscription["user"] = user;
        return fake.call("POST", "/webhook_subscriptions", subscription.dump()).result_int();
    };
    ASSERT_EQ(subscribe(dana_receiver.url(), "user", member("dana-whitfield")), 201u);
    ASSERT_EQ(subscribe(organization_receiver.url(), "organization", ""), 201u);

    const std::string start = open_starts(sales_demo()).at(0);
    ASSERT_EQ(book(personal_type(member("priya-natarajan"), "30min"), start, "google_conference",
                   "for-priya@example.com")
                  .result_int(),
              201u);
    ASSERT_EQ(book(personal_type(member("dana-whitfield"), "30min"), start, "google_conference",
                   "for-dana@example.com")
                  .result_int(),
              201u);
    ASSERT_TRUE(test::wait_until([&] { return organization_receiver.received().size() == 2; }));
    ASSERT_TRUE(test::wait_until([&] { return fake->webhook_deliveries().size() >= 3; }));
    const auto dana_deliveries = dana_receiver.received();
    ASSERT_EQ(dana_deliveries.size(), 1u);
    EXPECT_EQ(json::parse(dana_deliveries[0].body)["payload"]["email"], "for-dana@example.com");
}

class FakeCalendlyGeneratedOrganizationTest : public FakeCalendlyOrganizationTest {
  protected:
    static FakeCalendlyOptions generated() {
        FakeCalendlyOptions options;
        options.generated_members = 500;
        options.event_types_per_generated_member = 10;
        options.round_robin_hosts = 20;
        return options;
    }
    FakeCalendlyGeneratedOrganizationTest() : FakeCalendlyOrganizationTest(generated()) {}
};

TEST_F(FakeCalendlyGeneratedOrganizationTest, ListsFiveThousandEventTypesOverFiftyOnePages) {
    std::size_t pages = 0;
    const auto started = std::chrono::steady_clock::now();
    const auto types = all_items(
        fake,
        with_query("/event_types", {{"organization", fake->organization_uri()}, {"count", "100"}}),
        &pages);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(types.size(), 5000u + 6u + 1u);  // the members', Alex's six, the round robin
    EXPECT_GE(pages, 51u);
    std::set<std::string> unique;
    for (const auto& type : types) unique.insert(type["uri"]);
    EXPECT_EQ(unique.size(), types.size());  // no page overlaps another
    // Generous for a shared machine; on its own it takes a fraction of this.
    EXPECT_LT(took, 20s);

    EXPECT_EQ(fake->member_uris().size(), 501u);
    EXPECT_EQ(fake->member_uri("member-0001"), fake->member_uris()[1]);
    const auto hosts = all_items(
        fake,
        with_query("/event_type_memberships", {{"event_type", sales_demo()}, {"count", "100"}}));
    EXPECT_EQ(hosts.size(), 20u);
    EXPECT_FALSE(open_starts(sales_demo()).empty());
}

TEST(FakeCalendlyGeneratedOrganization, SeedsFiveHundredMembersQuickly) {
    FakeCalendlyOptions options;
    options.generated_members = 500;
    options.event_types_per_generated_member = 10;
    const auto started = std::chrono::steady_clock::now();
    RunningFakeCalendly fake(options);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(fake->member_uris().size(), 501u);
    // "Well under a second" alone; the bound leaves room for a machine shared with a build.
    EXPECT_LT(took, 5s);
}

}  // namespace
}  // namespace calrt::testing
