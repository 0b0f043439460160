// Organization mode against the fake Calendly's sandbox organization (four hosts, a round robin
// "Sales demo" and a collective "Panel interview") over HTTP: the directory and what it costs, a
// host who leaves, a renamed type, a user token; /api/calendly's hosts and scoped event types; the
// tools in a team scope, and a round robin booking that names the host Calendly assigned.
#include "calrt/calendly/organization_directory.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/server/calendly_routes.hpp"
#include "calrt/tools/calendly_tools.hpp"
#include "support/http_test_client.hpp"
#include "support/running_fake_calendly.hpp"
#include "support/running_server.hpp"

namespace calrt {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

testing::FakeCalendlyOptions team_options(std::string token_role = "owner") {
    testing::FakeCalendlyOptions options;
    options.sandbox_team = true;
    options.token_role = std::move(token_role);
    return options;
}

calendly::CalendlyClientOptions client_options(const testing::FakeCalendly& fake) {
    calendly::CalendlyClientOptions options;
    options.base_url = fake.base_url();
    options.access_token = Secret(fake.access_token());
    // Generous: nothing here tests a timeout, and the sanitizer build on a loaded machine is slow.
    options.http.request_timeout = 5s;
    options.retry.max_attempts = 2;
    options.retry.base_delay = 1ms;
    options.retry.max_backoff = 2ms;
    options.retry.deadline = 15s;
    return options;
}

std::vector<std::string> names_of(const std::vector<calendly::DirectoryHost>& hosts) {
    std::vector<std::string> names;
    for (const auto& host : hosts) names.push_back(host.name);
    return names;
}

const calendly::EventType* type_named(const std::vector<calendly::EventType>& types, std::string_view name) {
    const auto it = std::find_if(types.begin(), types.end(), [name](const auto& t) { return t.name == name; });
    return it == types.end() ? nullptr : &*it;
}

std::vector<std::string> sorted(std::vector<std::string> items) {
    std::sort(items.begin(), items.end());
    return items;
}

class OrganizationDirectoryTest : public ::testing::Test {
  protected:
    explicit OrganizationDirectoryTest(std::string token_role = "owner") : fake(team_options(std::move(token_role))) {
        client = std::make_unique<calendly::CalendlyClient>(fake.io.get_executor(), client_options(*fake), metrics,
                                                            clock);
        directory = std::make_shared<calendly::OrganizationDirectory>(
            *client, fake.io.get_executor(), calendly::OrganizationDirectoryOptions{std::chrono::minutes(10), 4},
            metrics);
    }

    std::shared_ptr<const calendly::Directory> load() {
        auto loaded = fake.run(directory->current());
        if (!loaded) {
            ADD_FAILURE() << loaded.error().code << ": " << loaded.error().message;
            return std::make_shared<const calendly::Directory>();
        }
        return *loaded;
    }

    test::RunningFakeCalendly fake;
    MetricsRegistry metrics;
    SystemClock clock;
    std::unique_ptr<calendly::CalendlyClient> client;
    std::shared_ptr<calendly::OrganizationDirectory> directory;
};

TEST_F(OrganizationDirectoryTest, KnowsEveryHostTheirTypesAndTheTeamTypesHosts) {
    const auto known = load();
    EXPECT_TRUE(known->complete);
    EXPECT_EQ(known->organization_uri, fake->organization_uri());
    EXPECT_EQ(names_of(known->hosts),
              (std::vector<std::string>{"Alex Rivera", "Dana Whitfield", "Marcus Bell", "Priya Natarajan"}));

    const auto* sales = type_named(known->event_types, "Sales demo");
    ASSERT_NE(sales, nullptr);
    EXPECT_EQ(sales->pooling_type, "round_robin");
    EXPECT_EQ(sorted(sales->host_names), (std::vector<std::string>{"Dana Whitfield", "Marcus Bell", "Priya Natarajan"}));
    const auto* panel = type_named(known->event_types, "Panel interview");
    ASSERT_NE(panel, nullptr);
    EXPECT_EQ(panel->pooling_type, "collective");
    EXPECT_EQ(sorted(panel->host_names), (std::vector<std::string>{"Alex Rivera", "Dana Whitfield", "Priya Natarajan"}));

    // Dana: her own 30 minute meeting and both team types.
    const auto* dana = known->host_by_slug("dana-whitfield");
    ASSERT_NE(dana, nullptr);
    EXPECT_EQ(dana->timezone, "America/Chicago");
    std::vector<std::string> danas;
    for (const auto& type : known->types_of_host(dana->user_uri)) danas.push_back(*type.name);
    EXPECT_EQ(sorted(danas), (std::vector<std::string>{"30 Minute Meeting", "Panel interview", "Sales demo"}));
    // A personal type is its owner's alone.
    const auto personal = fake->member_uri("priya-natarajan");
    for (const auto& type : known->types_of_host(dana->user_uri)) {
        if (type.name == "30 Minute Meeting") {
            EXPECT_EQ(type.host_names, (std::vector<std::string>{"Dana Whitfield"}));
        }
    }
    EXPECT_FALSE(personal.empty());

    ASSERT_EQ(known->team_types().size(), 2u);
    ASSERT_EQ(known->types_of_team("sales").size(), 1u);
    EXPECT_EQ(known->types_of_team("sales").front().name, "Sales demo");
    EXPECT_EQ(known->types_of_team("recruiting").front().name, "Panel interview");
    EXPECT_TRUE(known->types_of_team("nobody").empty());
    EXPECT_EQ(known->host_by_slug("nobody"), nullptr);
}

TEST_F(OrganizationDirectoryTest, CostsTheListsAndOneCallPerTeamType) {
    fake->reset_counts();
    load();
    EXPECT_EQ(fake->request_count("/users/me"), 1u);
    EXPECT_EQ(fake->request_count("/organization_memberships"), 1u);  // four members: one page
    EXPECT_EQ(fake->request_count("/event_types"), 1u);
    EXPECT_EQ(fake->request_count("/event_type_memberships"), 2u);  // the round robin and the collective
    // Fresh: a second read asks Calendly nothing.
    load();
    EXPECT_EQ(fake->request_count(), 5u);
}

TEST_F(OrganizationDirectoryTest, OffersNeitherSecretNorInactiveTypes) {
    const auto secret = fake->add_event_type("Board call", "board", 30, true);
    const auto known = load();
    for (const auto& type : known->event_types) {
        EXPECT_NE(type.uri, secret);
        EXPECT_NE(type.uri, fake->inactive_event_type_uri());
        EXPECT_TRUE(type.active);
    }
}

TEST_F(OrganizationDirectoryTest, AHostWhoLeftIsGoneAtTheNextLoad) {
    load();
    fake->remove_member(fake->member_uri("dana-whitfield"));
    auto reloaded = fake.run(directory->reload());
    ASSERT_TRUE(reloaded) << reloaded.error().message;
    const auto& known = **reloaded;
    EXPECT_EQ(known.host_by_slug("dana-whitfield"), nullptr);
    EXPECT_EQ(names_of(known.hosts), (std::vector<std::string>{"Alex Rivera", "Marcus Bell", "Priya Natarajan"}));
    const auto* sales = type_named(known.event_types, "Sales demo");
    ASSERT_NE(sales, nullptr);
    EXPECT_EQ(sorted(sales->host_names), (std::vector<std::string>{"Marcus Bell", "Priya Natarajan"}));
    EXPECT_EQ(directory->cached(), *reloaded);
}

TEST_F(OrganizationDirectoryTest, ReloadSoonPicksUpARenamedType) {
    load();
    fake->rename_event_type(fake->team_event_type_uri("sales-demo"), "Sales walkthrough");
    directory->reload_soon();
    EXPECT_TRUE(test::wait_until([&] {
        const auto known = directory->cached();
        return known && type_named(known->event_types, "Sales walkthrough") != nullptr;
    }));
    EXPECT_EQ(type_named(directory->cached()->event_types, "Sales demo"), nullptr);
}

TEST_F(OrganizationDirectoryTest, PublicAnswerHasPublicFactsOnly) {
    const auto answer = calendly::public_directory_json(*load());
    ASSERT_EQ(answer["hosts"].size(), 4u);
    for (const auto& host : answer["hosts"]) {
        EXPECT_EQ(sorted([&] {
                      std::vector<std::string> keys;
                      for (const auto& [key, value] : host.items()) keys.push_back(key);
                      return keys;
                  }()),
                  (std::vector<std::string>{"avatar_url", "event_types", "name", "scheduling_url", "slug", "timezone"}));
    }
    ASSERT_EQ(answer["team_event_types"].size(), 2u);
    const std::string text = answer.dump();
    EXPECT_EQ(text.find("@example.com"), std::string::npos) << "a member's email";
    EXPECT_EQ(text.find("\"role\""), std::string::npos);
}

class OrganizationDirectoryUserTokenTest : public OrganizationDirectoryTest {
  protected:
    OrganizationDirectoryUserTokenTest() : OrganizationDirectoryTest("user") {}
};

TEST_F(OrganizationDirectoryUserTokenTest, IsRefusedAsCalendlyRefusesAMember) {
    auto loaded = fake.run(directory->current());
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().code, "calendly_permission_denied") << loaded.error().message;
    EXPECT_EQ(directory->cached(), nullptr);
    EXPECT_EQ(metrics.counter("calendly_directory_loads_total", "", {{"outcome", "failed"}}).value(), 1u);
}

// /api/calendly in organization mode.
class OrganizationRoutesTest : public OrganizationDirectoryTest {
  protected:
    // The directory's loads run on the fake's threads and complete on the server's: those threads
    // must be done handing over completions before the server's io_context (destroyed first, being
    // declared last) goes away. ASan caught one releasing its hold on that context after it was freed.
    ~OrganizationRoutesTest() override { fake.stop(); }

    void start(bool organization = true) {
        limiter = std::make_unique<server::RateLimiter>(600, 100);
        context = std::make_unique<server::CalendlyRouteContext>(*client, "https://calendly.com/fallback",
                                                                 Secret("admin"), *limiter, zones, clock);
        if (organization) context->directory = directory.get();
        server::add_calendly_routes(server.router, *context);
        server.start();
    }
    json get(const std::string& query, unsigned expected_status = 200) {
        const auto answer = test::http_request(server.port(), "GET", "/api/calendly?" + query);
        EXPECT_EQ(answer.result_int(), expected_status) << answer.body();
        return json::parse(answer.body(), nullptr, false);
    }

    TimeZoneCache zones;
    test::RunningServer server;
    std::unique_ptr<server::RateLimiter> limiter;
    std::unique_ptr<server::CalendlyRouteContext> context;
};

TEST_F(OrganizationRoutesTest, HostsListsTheDirectory) {
    start();
    const auto hosts = get("action=hosts");
    ASSERT_EQ(hosts["hosts"].size(), 4u);
    EXPECT_EQ(hosts["hosts"][1]["name"], "Dana Whitfield");
    EXPECT_EQ(hosts["hosts"][1]["slug"], "dana-whitfield");
    EXPECT_EQ(hosts["hosts"][1]["event_types"].size(), 3u);
    ASSERT_EQ(hosts["team_event_types"].size(), 2u);
    for (const auto& type : hosts["team_event_types"]) EXPECT_FALSE(type["pooling_type"].is_null());
    EXPECT_EQ(hosts.dump().find("@example.com"), std::string::npos);
}

TEST_F(OrganizationRoutesTest, EventTypesNarrowToAHostOrATeam) {
    start();
    const auto danas = get("action=event-types&host=dana-whitfield");
    ASSERT_EQ(danas["event_types"].size(), 3u);
    const auto sales = get("action=event-types&team=sales");
    ASSERT_EQ(sales["event_types"].size(), 1u);
    EXPECT_EQ(sales["event_types"][0]["name"], "Sales demo");
    EXPECT_EQ(get("action=event-types&host=nobody", 404)["error"]["code"], "host_not_found");
    EXPECT_EQ(get("action=event-types&team=nobody", 404)["error"]["code"], "team_not_found");
    // Without either: the token's user's types, as in single-host mode: Alex's own five and the
    // panel Alex sits on (GET /event_types?user= lists the team types a user hosts).
    EXPECT_EQ(get("action=event-types")["event_types"].size(), fake->active_event_type_uris().size() + 1);
}

TEST_F(OrganizationRoutesTest, AnyHostsTypeHasOpenTimes) {
    start();
    const auto uuid = *calendly::uuid_from_uri(fake->team_event_type_uri("sales-demo"));
    const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) + std::chrono::days(1);
    const auto text = [](std::chrono::sys_days d) {
        return format_rfc3339(Timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(d.time_since_epoch())));
    };
    const auto times =
        get("action=availability&event_type=" + uuid + "&start_time=" + text(day) + "&end_time=" + text(day + std::chrono::days(7)));
    EXPECT_FALSE(times["available_times"].empty()) << times.dump();
    const auto info = get("action=event-info&uuid=" + uuid);
    EXPECT_EQ(info["event_type"]["name"], "Sales demo");
}

TEST_F(OrganizationRoutesTest, AnyHostsTypeGetsASingleUseLink) {
    start();
    const auto uuid = *calendly::uuid_from_uri(fake->team_event_type_uri("sales-demo"));
    const json request{{"action", "create-link"}, {"name", "Ada Lovelace"}, {"email", "ada@example.com"},
                       {"event_type", uuid}};
    const auto answer = test::http_request(server.port(), "POST", "/api/calendly",
                                           {{"Content-Type", "application/json"}}, request.dump());
    ASSERT_EQ(answer.result_int(), 200u) << answer.body();
    const auto link = json::parse(answer.body());
    EXPECT_EQ(link["fallback"], false);
    EXPECT_EQ(link["event_type"]["name"], "Sales demo");
    EXPECT_NE(std::string(link["booking_url"]).find("/d/"), std::string::npos) << link.dump();
}

TEST_F(OrganizationRoutesTest, OutsideOrganizationModeTheHostIsADirectoryOfOne) {
    start(false);
    const auto hosts = get("action=hosts");
    ASSERT_EQ(hosts["hosts"].size(), 1u);
    EXPECT_EQ(hosts["hosts"][0]["name"], "Alex Rivera");
    // Alex's own five and the panel Alex sits on.
    const auto alexs = fake->active_event_type_uris().size() + 1;
    EXPECT_EQ(hosts["hosts"][0]["event_types"].size(), alexs);
    ASSERT_EQ(hosts["team_event_types"].size(), 1u);
    EXPECT_EQ(hosts["team_event_types"][0]["name"], "Panel interview");
    EXPECT_EQ(get("action=event-types&host=alex-rivera")["event_types"].size(), alexs);
    EXPECT_EQ(get("action=event-types&host=dana-whitfield", 404)["error"]["code"], "host_not_found");
    // Another member's type is not the host's: not offered.
    const auto uuid = *calendly::uuid_from_uri(fake->team_event_type_uri("sales-demo"));
    EXPECT_EQ(get("action=event-info&uuid=" + uuid, 404)["error"]["code"], "event_type_not_found");
}

// The tools in a team scope.
class OrganizationToolsTest : public OrganizationDirectoryTest {
  protected:
    std::shared_ptr<tools::CalendlyToolContext> context_for(std::string host_slug = "", std::string team_slug = "") {
        auto context = std::make_shared<tools::CalendlyToolContext>(
            tools::CalendlyToolContext{*client, "https://calendly.com/fallback", zones, clock, "calrt-test", {}});
        context->team = std::make_shared<tools::TeamScope>(tools::TeamScope{directory, host_slug, team_slug});
        return context;
    }
    json run(boost::asio::awaitable<json> call) { return fake.run(std::move(call)); }

    // The first open start of `type_uri` from tomorrow on.
    std::string first_open_start(const std::string& type_uri) {
        const auto day = std::chrono::floor<std::chrono::days>(clock.now()) + std::chrono::days(1);
        const Timestamp from(std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch()));
        auto slots = fake.run(client->available_times(type_uri, {from, from + std::chrono::hours(24 * 7)}));
        if (!slots || slots->empty()) {
            ADD_FAILURE() << "no open times for " << type_uri;
            return "";
        }
        return format_rfc3339(slots->front().start_time);
    }

    json booking(const std::string& event_type, const std::string& start) {
        return {{"event_type", event_type},
                {"start_time", start},
                {"name", "Ada Lovelace"},
                {"email", "ada@example.com"},
                {"timezone", "Europe/London"}};
    }

    TimeZoneCache zones;
};

TEST_F(OrganizationToolsTest, MeetingTypesNameTheirHostsAndHowTheyArePooled) {
    auto context = context_for();
    const auto answer = run(tools::get_available_meeting_types(*context, json::object()));
    ASSERT_TRUE(answer.contains("event_types")) << answer.dump();
    const auto& types = answer["event_types"];
    const auto sales = std::find_if(types.begin(), types.end(), [](const json& t) { return t["name"] == "Sales demo"; });
    ASSERT_NE(sales, types.end()) << answer.dump();
    EXPECT_EQ((*sales)["pooling"], "round_robin");
    EXPECT_EQ((*sales)["hosts"].size(), 3u);
    const std::string message = answer["message"];
    EXPECT_NE(message.find("30 Minute Meeting with Dana Whitfield"), std::string::npos) << message;
    EXPECT_NE(message.find("Panel interview with "), std::string::npos) << message;
    EXPECT_EQ(answer.dump().find("@example.com"), std::string::npos);
}

TEST_F(OrganizationToolsTest, AHostsPageOffersThatHostsTypesOnly) {
    auto context = context_for("priya-natarajan");
    const auto answer = run(tools::get_available_meeting_types(*context, json::object()));
    std::vector<std::string> names;
    for (const auto& type : answer["event_types"]) names.push_back(type["name"]);
    EXPECT_EQ(sorted(names), (std::vector<std::string>{"30 Minute Meeting", "Panel interview", "Sales demo"}));
    // A type of someone else is not this conversation's to book.
    const auto marcus_type = "30 Minute Meeting with Marcus Bell";
    const auto refused = run(tools::book_meeting(*context, booking(marcus_type, "2030-01-07T15:00:00Z")));
    EXPECT_EQ(refused["error"]["code"], "unknown_event_type") << refused.dump();
}

TEST_F(OrganizationToolsTest, BookingARoundRobinNamesTheHostCalendlyAssigned) {
    auto context = context_for();
    const auto sales = fake->team_event_type_uri("sales-demo");
    const auto answer = run(tools::book_meeting(*context, booking(sales, first_open_start(sales))));
    ASSERT_EQ(answer["booked"], true) << answer.dump();
    ASSERT_EQ(answer["hosts"].size(), 1u) << answer.dump();
    const std::string host = answer["hosts"][0];
    const auto bookings = fake->bookings();
    ASSERT_EQ(bookings.size(), 1u);
    ASSERT_EQ(bookings[0].host_uris.size(), 1u);
    const auto known = directory->cached();
    const auto assigned = std::find_if(known->hosts.begin(), known->hosts.end(),
                                       [&](const auto& h) { return h.user_uri == bookings[0].host_uris[0]; });
    ASSERT_NE(assigned, known->hosts.end());
    EXPECT_EQ(assigned->name, host);
    EXPECT_NE(std::string(answer["message"]).find("with " + host), std::string::npos) << answer.dump();
}

TEST_F(OrganizationToolsTest, AHostsTypeIsBookedByTheNameWithTheHost) {
    auto context = context_for();
    const auto priyas = "30 minute meeting with Priya Natarajan";
    const auto known = load();
    const auto* priya = known->host_by_slug("priya-natarajan");
    ASSERT_NE(priya, nullptr);
    const auto types = known->types_of_host(priya->user_uri);
    const auto* thirty = type_named(types, "30 Minute Meeting");
    ASSERT_NE(thirty, nullptr);
    const auto answer = run(tools::book_meeting(*context, booking(priyas, first_open_start(thirty->uri))));
    ASSERT_EQ(answer["booked"], true) << answer.dump();
    EXPECT_EQ(answer["hosts"], json::array({"Priya Natarajan"}));
    ASSERT_EQ(fake->bookings().size(), 1u);
    EXPECT_EQ(fake->bookings()[0].event_type_uri, thirty->uri);
}

TEST_F(OrganizationToolsTest, APerHostCapRefusesAHostPastItAndCountsTheRoundRobinsAssignedHost) {
    tools::BookingCaps caps({.bookings_per_day = 100, .bookings_per_host_per_day = 1}, clock);
    auto context = context_for();
    context->booking_caps = &caps;
    load();
    const auto book = [&](const std::string& type, const std::string& start, const std::string& email) {
        auto arguments = booking(type, start);
        arguments["email"] = email;
        return run(tools::book_meeting(*context, arguments));
    };
    // Dana's own meeting: once today, then refused before Calendly is asked.
    const auto danas_uri = [&] {
        const auto known = directory->cached();
        const auto types = known->types_of_host(known->host_by_slug("dana-whitfield")->user_uri);
        return type_named(types, "30 Minute Meeting")->uri;
    }();
    ASSERT_EQ(book(danas_uri, first_open_start(danas_uri), "one@example.com")["booked"], true);
    const auto refused = book(danas_uri, first_open_start(danas_uri), "two@example.com");
    EXPECT_EQ(refused["error"]["code"], "host_booking_limit_reached") << refused.dump();
    EXPECT_EQ(fake->bookings().size(), 1u);

    // The sales demo: Dana is at the cap already, Priya and Marcus are not. Calendly assigns them
    // in turn; each booking counts the host it got, until nobody has room.
    const auto sales = fake->team_event_type_uri("sales-demo");
    std::set<std::string> assigned;
    for (int i = 0; i < 3; ++i) {
        const auto answer = book(sales, first_open_start(sales), "sales" + std::to_string(i) + "@example.com");
        if (answer.value("booked", false)) {
            assigned.insert(answer["hosts"][0]);
            continue;
        }
        EXPECT_EQ(answer["error"]["code"], "host_booking_limit_reached") << answer.dump();
        break;
    }
    // Every host of the round robin is counted now (Dana's own meeting, then whoever Calendly gave).
    const auto last = book(sales, first_open_start(sales), "last@example.com");
    EXPECT_EQ(last["error"]["code"], "host_booking_limit_reached") << last.dump();
    EXPECT_FALSE(assigned.empty());
}

TEST_F(OrganizationToolsTest, ATeamTypeCalendlyWillNotBookDirectlyGetsItsSingleUseLink) {
    auto context = context_for();
    const auto sales = fake->team_event_type_uri("sales-demo");
    const auto start = first_open_start(sales);
    testing::FaultPlan refusal;
    refusal.status = 403;
    refusal.method = "POST";
    fake->inject("/invitees", refusal);
    const auto answer = run(tools::book_meeting(*context, booking(sales, start)));
    EXPECT_EQ(answer["booked"], false) << answer.dump();
    EXPECT_EQ(answer["reason"], "team_booking_refused") << answer.dump();
    EXPECT_NE(std::string(answer.value("booking_url", "")).find("/d/"), std::string::npos) << answer.dump();
    EXPECT_TRUE(fake->bookings().empty());
}

TEST_F(OrganizationToolsTest, AnyoneFreeChecksSeveralHostsTypesAtOnce) {
    auto context = context_for();
    fake->reset_counts();
    const json arguments{{"event_types", {"30 Minute Meeting with Dana Whitfield", "30 Minute Meeting with Priya Natarajan",
                                          "30 Minute Meeting with Marcus Bell"}},
                         {"timezone", "Europe/London"}};
    const auto answer = run(tools::check_meeting_availability(*context, arguments));
    ASSERT_TRUE(answer.contains("event_types")) << answer.dump();
    ASSERT_EQ(answer["event_types"].size(), 3u);
    for (const auto& each : answer["event_types"]) {
        EXPECT_GT(each["slot_count"].get<int>(), 0) << each.dump();
        EXPECT_EQ(each["event_type"]["hosts"].size(), 1u);
        EXPECT_FALSE(each.contains("message"));
    }
    const std::string message = answer["message"];
    EXPECT_NE(message.find("30 Minute Meeting (30 min), in Europe/London"), std::string::npos) << message;
    EXPECT_EQ(answer["timezone"], "Europe/London");
    // One Calendly call per type for a week, read two at a time.
    EXPECT_EQ(fake->request_count("/event_type_available_times"), 3u);
    EXPECT_LE(fake->max_concurrent_requests(), 2u);
    // The slots it saw are remembered for booking, as for one type.
    const std::string start = answer["event_types"][1]["days"][0]["slots"][0];
    auto booking_arguments = booking(answer["event_types"][1]["event_type"]["uri"], start);
    fake->reset_counts();
    const auto booked = run(tools::book_meeting(*context, booking_arguments));
    EXPECT_EQ(booked["booked"], true) << booked.dump();
    EXPECT_EQ(fake->request_count("/event_type_available_times"), 0u) << "seen open moments ago";
}

TEST_F(OrganizationToolsTest, SeveralTypesAreBoundedAndNeedAnOrganization) {
    auto context = context_for();
    const auto too_many = run(tools::check_meeting_availability(
        *context, json{{"event_types", {"a", "b", "c", "d", "e"}}}));
    EXPECT_EQ(too_many["error"]["code"], "invalid_event_types") << too_many.dump();
    const auto both = run(tools::check_meeting_availability(
        *context, json{{"event_type", "Sales demo"}, {"event_types", {"Panel interview"}}}));
    EXPECT_EQ(both["error"]["code"], "invalid_event_types") << both.dump();
    const auto unknown = run(tools::check_meeting_availability(*context, json{{"event_types", {"Tea with the CEO"}}}));
    EXPECT_EQ(unknown["error"]["code"], "unknown_event_type") << unknown.dump();
    // A single host's assistant has no such argument.
    auto single = std::make_shared<tools::CalendlyToolContext>(
        tools::CalendlyToolContext{*client, "https://calendly.com/fallback", zones, clock, "calrt-test", {}});
    const auto refused = run(tools::check_meeting_availability(*single, json{{"event_types", {"Sales demo"}}}));
    EXPECT_EQ(refused["error"]["code"], "invalid_event_types") << refused.dump();
    EXPECT_FALSE(tools::check_meeting_availability_spec().parameters["properties"].contains("event_types"));
    EXPECT_TRUE(tools::check_meeting_availability_spec(true).parameters["properties"].contains("event_types"));
}

}  // namespace
}  // namespace calrt
