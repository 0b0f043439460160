// The fake Calendly's answers have the shape of the real ones: for each golden sample
// (testing/golden/calendly, hand-written from Calendly's reference; see testing/golden/README.md),
// the fake's answer for the same resource has every key of the sample with the same JSON type.
// A fake that drops or retypes a field Calendly sends fails here.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "support/json_shape.hpp"
#include "support/running_fake_calendly.hpp"
#include "testing/fake_calendly/calendly_time.hpp"

namespace calrt::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::with_query;

json golden(const char* name) { return test::read_golden(std::filesystem::path("calendly") / name); }

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

class FakeCalendlyGoldenTest : public ::testing::Test {
  protected:
    // The fake's answer to `method target`, with its status checked.
    json answer(std::string_view method, const std::string& target, unsigned status, std::string_view body = {}) {
        const auto response = fake.call(method, target, body);
        EXPECT_EQ(response.result_int(), status) << method << " " << target << ": " << response.body();
        return json::parse(response.body(), nullptr, false);
    }
    void expect_shape(const char* golden_name, const json& actual) {
        const auto differences = test::shape_differences(golden(golden_name), actual);
        EXPECT_TRUE(differences.empty()) << golden_name << " vs the fake:\n" << joined(differences);
    }
    std::string uuid_of(const std::string& uri) { return uri.substr(uri.rfind('/') + 1); }

    test::RunningFakeCalendly fake;
};

TEST_F(FakeCalendlyGoldenTest, EventTypesHaveTheShapeOfCalendlys) {
    for (const auto& uri : fake->active_event_type_uris()) {
        const json type = answer("GET", fake.target_of(uri), 200);
        expect_shape("event_type_with_locations.json", type);
        expect_shape("event_type_locations_null.json", type);
    }
    expect_shape("event_types_page.json",
                 answer("GET", with_query("/event_types", {{"user", fake->user_uri()}, {"count", "2"}}), 200));
}

TEST_F(FakeCalendlyGoldenTest, AvailableTimesHaveTheShapeOfCalendlys) {
    const auto start = std::chrono::system_clock::now() + 1min;
    expect_shape("available_times.json",
                 answer("GET",
                        with_query("/event_type_available_times",
                                   {{"event_type", fake->active_event_type_uris().front()},
                                    {"start_time", fake::format_calendly_time(start)},
                                    {"end_time", fake::format_calendly_time(start + 24h * 7)}}),
                        200));
}

TEST_F(FakeCalendlyGoldenTest, ScheduledEventsAndInviteesHaveTheShapeOfCalendlys) {
    const std::string event_uuid = uuid_of(fake->upcoming_event_uri());
    expect_shape("scheduled_event.json", answer("GET", "/scheduled_events/" + event_uuid, 200));
    const json invitees = answer("GET", "/scheduled_events/" + event_uuid + "/invitees", 200);
    ASSERT_FALSE(invitees["collection"].empty());
    expect_shape("invitee.json", json{{"resource", invitees["collection"][0]}});
    const std::string invitee_uuid = uuid_of(invitees["collection"][0]["uri"]);
    expect_shape("invitee.json",
                 answer("GET", "/scheduled_events/" + event_uuid + "/invitees/" + invitee_uuid, 200));
}

TEST_F(FakeCalendlyGoldenTest, WritesAnswerWithTheShapeOfCalendlys) {
    const json link_request = {{"max_event_count", 1},
                               {"owner", fake->active_event_type_uris().front()},
                               {"owner_type", "EventType"}};
    expect_shape("scheduling_link.json", answer("POST", "/scheduling_links", 201, link_request.dump()));
    const json cancel = {{"reason", "golden"}};
    expect_shape("cancellation.json", answer("POST", "/scheduled_events/" + uuid_of(fake->upcoming_event_uri()) +
                                                         "/cancellation",
                                             201, cancel.dump()));
}

TEST_F(FakeCalendlyGoldenTest, ErrorsHaveTheShapeAndWordsOfCalendlys) {
    expect_shape("error_400_invalid_argument.json",
                 answer("GET", with_query("/event_types", {{"user", fake->user_uri()}, {"count", "1000"}}), 400));
    const auto unauthenticated = fake.call("GET", "/users/me", {}, std::string("wrong"));
    EXPECT_EQ(json::parse(unauthenticated.body()), golden("error_401_unauthenticated.json"));
    const json cancel = {{"reason", "again"}};
    EXPECT_EQ(answer("POST", "/scheduled_events/" + uuid_of(fake->canceled_event_uri()) + "/cancellation", 403,
                     cancel.dump()),
              golden("error_403_event_already_canceled.json"));
    EXPECT_EQ(answer("GET", "/scheduled_events/AAAAAAAAAAAAAAAA", 404), golden("error_404_not_found.json"));
    fake->inject("/users/me", FaultPlan::rate_limited(1s));
    expect_shape("error_429_too_many_requests.json", answer("GET", "/users/me", 429));
}

TEST_F(FakeCalendlyGoldenTest, APlanRefusalHasCalendlysWords) {
    FakeCalendlyOptions options;
    options.plan = FakePlan::without_scheduling_api;
    test::RunningFakeCalendly refusing(options);
    const auto response = refusing.call("POST", "/invitees", "{}");
    EXPECT_EQ(response.result_int(), 403u);
    EXPECT_EQ(json::parse(response.body()), golden("error_403_plan.json"));
}

}  // namespace
}  // namespace calrt::testing
