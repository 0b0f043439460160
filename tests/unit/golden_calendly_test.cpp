// Every golden sample of Calendly's wire messages (testing/golden/calendly, hand-written from
// Calendly's reference) is read by the client's models and error mapping; and the structural check
// that keeps the fake Calendly from drifting from them (tests/integration/fake_calendly_golden_test.cpp)
// does find drift.
#include "calrt/calendly/calendly_error.hpp"
#include "calrt/calendly/models.hpp"
#include "calrt/calendly/page.hpp"
#include "support/json_shape.hpp"

#include <gtest/gtest.h>

namespace calrt::calendly {
namespace {

using nlohmann::json;
using test::read_golden;
using test::shape_differences;

json golden(const char* name) { return read_golden(std::filesystem::path("calendly") / name); }

TEST(GoldenCalendly, EventTypeWithSeveralLocationsAndQuestionsIsRead) {
    const auto type = parse_resource<EventType>(golden("event_type_with_locations.json"));
    ASSERT_TRUE(type) << type.error().message;
    ASSERT_EQ(type->locations.size(), 3u);
    EXPECT_EQ(type->locations[0].kind, "inbound_call");
    EXPECT_EQ(type->locations[0].phone_number, "+380934567654");
    EXPECT_EQ(type->locations[1].location, "123 Main St");
    ASSERT_EQ(type->custom_questions.size(), 3u);
    EXPECT_TRUE(type->custom_questions[2].required);
    EXPECT_EQ(type->custom_questions[2].answer_choices.size(), 3u);
    EXPECT_EQ(type->after_buffer, 15);
    EXPECT_EQ(type->locale, "en");
}

TEST(GoldenCalendly, EventTypeWithNullLocationsIsRead) {
    const auto type = parse_resource<EventType>(golden("event_type_locations_null.json"));
    ASSERT_TRUE(type) << type.error().message;
    EXPECT_TRUE(type->locations.empty());
    EXPECT_EQ(type->pooling_type, "round_robin");
    EXPECT_FALSE(type->start_time_increment);
}

TEST(GoldenCalendly, ListsAndResourcesAreRead) {
    const auto page = parse_page<EventType>(golden("event_types_page.json"));
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->collection.size(), 1u);
    EXPECT_TRUE(page->pagination.has_next());
    const auto times = parse_collection<AvailableTime>(golden("available_times.json"));
    ASSERT_TRUE(times) << times.error().message;
    EXPECT_EQ(times->front().invitees_remaining, 2);
    const auto event = parse_resource<ScheduledEvent>(golden("scheduled_event.json"));
    ASSERT_TRUE(event) << event.error().message;
    EXPECT_EQ(event->location_type, "physical");
    const auto invitee = parse_resource<Invitee>(golden("invitee.json"));
    ASSERT_TRUE(invitee) << invitee.error().message;
    EXPECT_EQ(invitee->questions_and_answers.size(), 1u);
    const auto link = parse_resource<SchedulingLink>(golden("scheduling_link.json"));
    ASSERT_TRUE(link) << link.error().message;
    EXPECT_EQ(link->owner_type, "EventType");
    const auto cancellation = parse_resource<Cancellation>(golden("cancellation.json"));
    ASSERT_TRUE(cancellation) << cancellation.error().message;
    EXPECT_TRUE(cancellation->created_at);
}

TEST(GoldenCalendly, ErrorBodiesMapToTheirCodes) {
    const auto code_of = [](unsigned status, const char* name) {
        return error_from_calendly_response(status, golden(name).dump()).code;
    };
    EXPECT_EQ(code_of(400, "error_400_invalid_argument.json"), "calendly_rejected");
    EXPECT_EQ(code_of(401, "error_401_unauthenticated.json"), "calendly_auth_failed");
    EXPECT_EQ(code_of(403, "error_403_event_already_canceled.json"), "event_not_cancelable");
    EXPECT_EQ(code_of(403, "error_403_plan.json"), "calendly_plan_required");
    EXPECT_EQ(code_of(404, "error_404_not_found.json"), "calendly_not_found");
    EXPECT_EQ(code_of(429, "error_429_too_many_requests.json"), "calendly_rate_limited");
    const Error rejected = error_from_calendly_response(400, golden("error_400_invalid_argument.json").dump());
    ASSERT_EQ(rejected.details.size(), 1u);
    EXPECT_EQ(rejected.details[0].parameter, "count");
}

TEST(GoldenShape, FindsAMissingKeyAWrongTypeAndAMissingKeyInListElements) {
    const json golden_json = json::parse(R"({"a": 1, "b": {"c": "x"}, "list": [{"kind": "k", "extra": 1}, {"kind": "j"}],
                                             "nullable": null})");
    EXPECT_TRUE(shape_differences(golden_json, json::parse(R"({"a": 2.5, "b": {"c": "y", "d": 0},
        "list": [{"kind": "z"}], "nullable": [1]})")).empty());
    const auto differences = shape_differences(golden_json, json::parse(R"({"a": "1", "b": {},
        "list": [{"other": 1}]})"));
    EXPECT_EQ(differences, (std::vector<std::string>{"a: string where the golden has number", "b.c: missing",
                                                     "list[0].kind: missing", "nullable: missing"}));
}

}  // namespace
}  // namespace calrt::calendly
