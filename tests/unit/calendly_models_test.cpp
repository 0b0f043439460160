// Parsing Calendly API v2 bodies. The fixtures follow the examples in Calendly's API reference
// (developer.calendly.com), including fields this service does not model.

#include "calrt/calendly/models.hpp"
#include "calrt/calendly/page.hpp"

#include <gtest/gtest.h>

namespace calrt::calendly {
namespace {

using nlohmann::json;

Timestamp at(std::string_view text) { return parse_rfc3339(text).value(); }

json event_type_json() {
    return json::parse(R"({
      "uri": "https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA",
      "name": "15 Minute Meeting",
      "active": true,
      "booking_method": "instant",
      "slug": "acmesales",
      "scheduling_url": "https://calendly.com/acmesales",
      "duration": 30,
      "duration_options": [30, 60],
      "kind": "solo",
      "pooling_type": "round_robin",
      "type": "StandardEventType",
      "color": "#fff200",
      "created_at": "2019-01-02T03:04:05.678123Z",
      "updated_at": "2019-08-07T06:05:04.321123Z",
      "internal_note": "Internal note",
      "description_plain": "15 Minute Meeting",
      "description_html": "<p>15 Minute Meeting</p>",
      "profile": {"type": "User", "name": "Tamara Jones",
                  "owner": "https://api.calendly.com/users/ABC123"},
      "secret": true,
      "deleted_at": null,
      "admin_managed": false,
      "locations": [{"kind": "zoom_conference"}],
      "position": 0,
      "custom_questions": [
        {"name": "Company Name", "type": "string", "position": 0, "enabled": true,
         "required": true, "answer_choices": [], "include_other": false},
        {"name": "What would you like to discuss?", "type": "text", "position": 1,
         "enabled": true, "required": false, "answer_choices": [], "include_other": false}
      ],
      "a_field_calendly_adds_next_year": {"nested": [1, 2, 3]}
    })");
}

json scheduled_event_json() {
    return json::parse(R"({
      "uri": "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2",
      "name": "15 Minute Meeting",
      "meeting_notes_plain": "Internal meeting notes",
      "meeting_notes_html": "<p>Internal meeting notes</p>",
      "status": "active",
      "start_time": "2019-08-24T14:15:22.123456Z",
      "end_time": "2019-08-24T14:30:22.123456Z",
      "event_type": "https://api.calendly.com/event_types/GBGBDCAADAEDCRZ2",
      "location": {"type": "physical", "location": "Calendly Office", "additional_info": "Lobby"},
      "invitees_counter": {"total": 1, "active": 1, "limit": 1},
      "created_at": "2019-01-02T03:04:05.678123Z",
      "updated_at": "2019-01-02T03:04:05.678123Z",
      "event_memberships": [{"user": "https://api.calendly.com/users/GBGBDCAADAEDCRZ2",
                             "user_email": "user@example.com", "user_name": "John Smith"}],
      "event_guests": [{"email": "user@example.com", "created_at": "2022-04-21T17:10:48.484945Z",
                        "updated_at": "2022-04-21T17:11:01.758636Z"}]
    })");
}

json invitee_json() {
    return json::parse(R"({
      "uri": "https://api.calendly.com/scheduled_events/ABCDABCDABCDABCD/invitees/ABCDABCDABCDABCD",
      "email": "test@example.com",
      "first_name": null,
      "last_name": null,
      "name": "John Doe",
      "status": "active",
      "questions_and_answers": [{"question": "Company Name", "answer": "Acme", "position": 0}],
      "timezone": "America/New_York",
      "event": "https://api.calendly.com/scheduled_events/ABCDABCDABCDABCD",
      "created_at": "2019-01-02T03:04:05.678123Z",
      "updated_at": "2019-08-07T06:05:04.321123Z",
      "tracking": {"utm_campaign": null, "utm_source": null},
      "text_reminder_number": "+1 404-555-1234",
      "rescheduled": false,
      "old_invitee": null,
      "new_invitee": null,
      "cancel_url": "https://calendly.com/cancellations/AAAAAAAAAAAAAAAA",
      "reschedule_url": "https://calendly.com/reschedulings/AAAAAAAAAAAAAAAA",
      "routing_form_submission": null,
      "payment": null,
      "no_show": null,
      "reconfirmation": null,
      "scheduling_method": null,
      "invitee_scheduled_by": null
    })");
}

TEST(EventTypeModel, ReadsTheReferenceExample) {
    auto event_type = EventType::parse(event_type_json());
    ASSERT_TRUE(event_type) << event_type.error().message;
    EXPECT_EQ(event_type->uri, "https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA");
    EXPECT_EQ(event_type->name, "15 Minute Meeting");
    EXPECT_TRUE(event_type->active);
    EXPECT_EQ(event_type->slug, "acmesales");
    EXPECT_EQ(event_type->scheduling_url, "https://calendly.com/acmesales");
    EXPECT_EQ(event_type->duration, 30);
    EXPECT_EQ(event_type->kind, "solo");
    EXPECT_EQ(event_type->pooling_type, "round_robin");
    EXPECT_EQ(event_type->type, "StandardEventType");
    EXPECT_TRUE(event_type->secret);
    EXPECT_EQ(event_type->description_plain, "15 Minute Meeting");
    EXPECT_EQ(event_type->profile_owner, "https://api.calendly.com/users/ABC123");
    EXPECT_EQ(event_type->profile_name, "Tamara Jones");
    EXPECT_FALSE(event_type->deleted_at);
    ASSERT_EQ(event_type->custom_questions.size(), 2u);
    EXPECT_EQ(event_type->custom_questions[1].name, "What would you like to discuss?");
    EXPECT_EQ(event_type->custom_questions[1].position, 1);
    EXPECT_TRUE(event_type->custom_questions[0].required);
}

TEST(EventTypeModel, KeepsTheWholeObjectIncludingUnknownFields) {
    const json object = event_type_json();
    auto event_type = EventType::parse(object);
    ASSERT_TRUE(event_type);
    EXPECT_EQ(event_type->raw, object);
    EXPECT_EQ(event_type->raw["a_field_calendly_adds_next_year"]["nested"][2], 3);
}

TEST(EventTypeModel, NullableFieldsMayBeNullOrMissing) {
    json object = event_type_json();
    object["name"] = nullptr;
    object["slug"] = nullptr;
    object["pooling_type"] = nullptr;
    object["profile"] = nullptr;
    object.erase("description_plain");
    object.erase("description_html");
    object.erase("custom_questions");
    object["deleted_at"] = "2024-01-02T03:04:05.000000Z";
    auto event_type = EventType::parse(object);
    ASSERT_TRUE(event_type) << event_type.error().message;
    EXPECT_FALSE(event_type->name);
    EXPECT_FALSE(event_type->slug);
    EXPECT_FALSE(event_type->pooling_type);
    EXPECT_FALSE(event_type->profile_owner);
    EXPECT_FALSE(event_type->description_plain);
    EXPECT_TRUE(event_type->custom_questions.empty());
    EXPECT_EQ(event_type->deleted_at, at("2024-01-02T03:04:05Z"));
}

TEST(EventTypeModel, MissingRequiredFieldIsNamedInTheError) {
    json object = event_type_json();
    object.erase("scheduling_url");
    auto event_type = EventType::parse(object);
    ASSERT_FALSE(event_type);
    EXPECT_EQ(event_type.error().code, "bad_calendly_response");
    EXPECT_EQ(event_type.error().kind, ErrorKind::upstream_failed);
    EXPECT_NE(event_type.error().message.find("resource.scheduling_url is missing"),
              std::string::npos)
        << event_type.error().message;
}

TEST(EventTypeModel, RequiredFieldOfTheWrongTypeIsNamedInTheError) {
    json object = event_type_json();
    object["duration"] = "thirty";
    auto event_type = EventType::parse(object);
    ASSERT_FALSE(event_type);
    EXPECT_NE(event_type.error().message.find("resource.duration is not an integer"),
              std::string::npos)
        << event_type.error().message;
}

TEST(EventTypeModel, RequiredNullIsMissing) {
    json object = event_type_json();
    object["active"] = nullptr;
    auto event_type = EventType::parse(object);
    ASSERT_FALSE(event_type);
    EXPECT_NE(event_type.error().message.find("resource.active is missing"), std::string::npos);
}

TEST(EventTypeModel, OptionalFieldOfUnexpectedTypeReadsAsAbsent) {
    json object = event_type_json();
    object["description_plain"] = 42;
    object["duration"] = 30.0;  // still an integer value
    auto event_type = EventType::parse(object);
    ASSERT_TRUE(event_type) << event_type.error().message;
    EXPECT_FALSE(event_type->description_plain);
    EXPECT_EQ(event_type->duration, 30);
}

TEST(EventTypeModel, NestedProblemsNameTheirPath) {
    json object = event_type_json();
    object["custom_questions"][1].erase("name");
    auto event_type = EventType::parse(object);
    ASSERT_FALSE(event_type);
    EXPECT_NE(event_type.error().message.find("resource.custom_questions[1].name is missing"),
              std::string::npos)
        << event_type.error().message;
}

TEST(EventTypeModel, NonObjectIsAnError) {
    auto event_type = EventType::parse(json::array({1, 2}));
    ASSERT_FALSE(event_type);
    EXPECT_EQ(event_type.error().code, "bad_calendly_response");
}

TEST(Page, ReadsCollectionAndPagination) {
    json second = event_type_json();
    second["uri"] = "https://api.calendly.com/event_types/BBBBBBBBBBBBBBBB";
    const json body = {
        {"collection", json::array({event_type_json(), second})},
        {"pagination",
         {{"count", 2},
          {"next_page", "https://api.calendly.com/event_types?count=2&page_token=sNjq4Tv"},
          {"previous_page", nullptr},
          {"next_page_token", "sNjq4Tv"},
          {"previous_page_token", nullptr}}}};
    auto page = parse_page<EventType>(body);
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->collection.size(), 2u);
    EXPECT_EQ(page->collection[1].uri, "https://api.calendly.com/event_types/BBBBBBBBBBBBBBBB");
    EXPECT_EQ(page->pagination.count, 2);
    EXPECT_TRUE(page->pagination.has_next());
    EXPECT_EQ(page->pagination.next_page_token, "sNjq4Tv");
    EXPECT_FALSE(page->pagination.previous_page_token);
}

TEST(Page, LastPageHasNoNextToken) {
    for (const json& token : {json(nullptr), json("")}) {
        const json body = {{"collection", json::array()},
                           {"pagination", {{"count", 0}, {"next_page_token", token}}}};
        auto page = parse_page<EventType>(body);
        ASSERT_TRUE(page) << page.error().message;
        EXPECT_FALSE(page->pagination.has_next());
    }
}

TEST(Page, BadItemIsNamedByIndex) {
    json broken = event_type_json();
    broken.erase("uri");
    const json body = {{"collection", json::array({event_type_json(), broken})},
                       {"pagination", {{"count", 2}, {"next_page_token", nullptr}}}};
    auto page = parse_page<EventType>(body);
    ASSERT_FALSE(page);
    EXPECT_NE(page.error().message.find("collection[1].uri is missing"), std::string::npos)
        << page.error().message;
}

TEST(Page, PaginationIsRequiredForPagesButNotForCollections) {
    const json slot = {{"status", "available"},
                       {"invitees_remaining", 1},
                       {"start_time", "2024-05-01T09:30:00Z"},
                       {"scheduling_url", "https://calendly.com/x"}};
    const json body = {{"collection", json::array({slot})}};
    EXPECT_FALSE(parse_page<AvailableTime>(body));
    auto items = parse_collection<AvailableTime>(body);
    ASSERT_TRUE(items) << items.error().message;
    ASSERT_EQ(items->size(), 1u);
    EXPECT_EQ((*items)[0].start_time, at("2024-05-01T09:30:00Z"));
}

TEST(Page, MissingOrMistypedCollectionIsAnError) {
    EXPECT_FALSE(parse_collection<EventType>(json::object()));
    EXPECT_FALSE(parse_collection<EventType>(json{{"collection", "nope"}}));
    EXPECT_FALSE(parse_collection<EventType>(json("text")));
}

TEST(Resource, ReadsTheResourceEnvelope) {
    auto event_type = parse_resource<EventType>(json{{"resource", event_type_json()}});
    ASSERT_TRUE(event_type) << event_type.error().message;
    EXPECT_EQ(event_type->duration, 30);
    auto missing = parse_resource<EventType>(json{{"collection", json::array()}});
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("resource"), std::string::npos);
}

TEST(UserModel, ReadsCurrentUser) {
    const json body = json::parse(R"({"resource": {
      "uri": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
      "name": "John Doe", "slug": "acmesales", "email": "test@example.com",
      "scheduling_url": "https://calendly.com/acmesales", "timezone": "America/New York",
      "avatar_url": null, "created_at": "2019-01-02T03:04:05.678123Z",
      "updated_at": "2019-08-07T06:05:04.321123Z",
      "current_organization": "https://api.calendly.com/organizations/AAAAAAAAAAAAAAAA",
      "resource_type": "User", "locale": "en"}})");
    auto user = parse_resource<User>(body);
    ASSERT_TRUE(user) << user.error().message;
    EXPECT_EQ(user->email, "test@example.com");
    EXPECT_EQ(user->current_organization,
              "https://api.calendly.com/organizations/AAAAAAAAAAAAAAAA");
    EXPECT_FALSE(user->avatar_url);
    EXPECT_EQ(user->raw["locale"], "en");
}

TEST(ScheduledEventModel, ReadsActiveEvent) {
    auto event = ScheduledEvent::parse(scheduled_event_json());
    ASSERT_TRUE(event) << event.error().message;
    EXPECT_EQ(event->status, "active");
    EXPECT_EQ(event->start_time, at("2019-08-24T14:15:22.123Z"));
    EXPECT_EQ(event->end_time, at("2019-08-24T14:30:22.123Z"));
    EXPECT_EQ(event->location_type, "physical");
    EXPECT_EQ(event->location, "Calendly Office");
    EXPECT_FALSE(event->join_url);
    EXPECT_EQ(event->invitees_active, 1);
    ASSERT_EQ(event->event_memberships.size(), 1u);
    EXPECT_EQ(event->event_memberships[0].user_email, "user@example.com");
    EXPECT_FALSE(event->cancellation);
}

TEST(ScheduledEventModel, ReadsCancellation) {
    json object = scheduled_event_json();
    object["status"] = "canceled";
    object["cancellation"] = {{"canceled_by", "John Doe"},
                              {"reason", nullptr},
                              {"canceler_type", "host"},
                              {"created_at", "2019-01-02T03:04:05.678123Z"}};
    auto event = ScheduledEvent::parse(object);
    ASSERT_TRUE(event) << event.error().message;
    ASSERT_TRUE(event->cancellation);
    EXPECT_EQ(event->cancellation->canceler_type, "host");
    EXPECT_FALSE(event->cancellation->reason);
}

TEST(ScheduledEventModel, BadTimestampIsNamed) {
    json object = scheduled_event_json();
    object["start_time"] = "yesterday";
    auto event = ScheduledEvent::parse(object);
    ASSERT_FALSE(event);
    EXPECT_NE(event.error().message.find("resource.start_time is not an RFC 3339 timestamp"),
              std::string::npos)
        << event.error().message;
}

TEST(ScheduledEventModel, InviteesCounterIsRequired) {
    json object = scheduled_event_json();
    object["invitees_counter"].erase("limit");
    auto event = ScheduledEvent::parse(object);
    ASSERT_FALSE(event);
    EXPECT_NE(event.error().message.find("resource.invitees_counter.limit is missing"),
              std::string::npos)
        << event.error().message;
}

TEST(InviteeModel, ReadsInviteeWithNullables) {
    auto invitee = Invitee::parse(invitee_json());
    ASSERT_TRUE(invitee) << invitee.error().message;
    EXPECT_EQ(invitee->name, "John Doe");
    EXPECT_FALSE(invitee->first_name);
    EXPECT_FALSE(invitee->last_name);
    EXPECT_EQ(invitee->timezone, "America/New_York");
    EXPECT_EQ(invitee->event, "https://api.calendly.com/scheduled_events/ABCDABCDABCDABCD");
    EXPECT_FALSE(invitee->no_show);
    EXPECT_FALSE(invitee->cancellation);
    ASSERT_EQ(invitee->questions_and_answers.size(), 1u);
    EXPECT_EQ(invitee->questions_and_answers[0].answer, "Acme");
    EXPECT_EQ(invitee->created_at, at("2019-01-02T03:04:05.678Z"));
}

TEST(InviteeModel, NoShowObjectMarksTheInvitee) {
    json object = invitee_json();
    object["no_show"] = {{"uri", "https://api.calendly.com/invitee_no_shows/X"},
                         {"created_at", "2019-01-02T03:04:05.678123Z"}};
    EXPECT_TRUE(Invitee::parse(object).value().no_show);
}

TEST(AvailabilityModels, ReadAvailableAndBusyTimes) {
    auto busy = parse_collection<BusyTime>(json::parse(R"({"collection": [
      {"type": "calendly", "start_time": "2020-01-02T20:00:00.000000Z",
       "end_time": "2020-01-02T20:30:00.000000Z",
       "buffered_start_time": "2020-01-02T19:30:00.000000Z",
       "buffered_end_time": "2020-01-02T21:00:00.000000Z",
       "event": {"uri": "https://api.calendly.com/scheduled_events/abc123"}},
      {"type": "external", "start_time": "2020-01-05T20:00:00.000000Z",
       "end_time": "2020-01-05T20:30:00.000000Z"}]})"));
    ASSERT_TRUE(busy) << busy.error().message;
    ASSERT_EQ(busy->size(), 2u);
    EXPECT_EQ((*busy)[0].event_uri, "https://api.calendly.com/scheduled_events/abc123");
    EXPECT_EQ((*busy)[0].buffered_start_time, at("2020-01-02T19:30:00Z"));
    EXPECT_FALSE((*busy)[1].event_uri);
    EXPECT_FALSE((*busy)[1].buffered_end_time);
}

TEST(SchedulingLinkModel, ReadsCreatedLink) {
    auto link = parse_resource<SchedulingLink>(json::parse(R"({"resource": {
      "booking_url": "https://calendly.com/d/abcd-brv8/15-minute-meeting",
      "owner": "https://api.calendly.com/event_types/GBGBDCAADAEDCRZ2",
      "owner_type": "EventType"}})"));
    ASSERT_TRUE(link) << link.error().message;
    EXPECT_EQ(link->booking_url, "https://calendly.com/d/abcd-brv8/15-minute-meeting");
    EXPECT_EQ(link->owner_type, "EventType");
}

TEST(CancellationModel, ReadsCancellationResource) {
    auto cancellation = parse_resource<Cancellation>(json::parse(R"({"resource": {
      "canceled_by": "string", "reason": "Schedule conflict", "canceler_type": "host",
      "created_at": "2019-01-02T03:04:05.678123Z"}})"));
    ASSERT_TRUE(cancellation) << cancellation.error().message;
    EXPECT_EQ(cancellation->reason, "Schedule conflict");
}

TEST(WebhookSubscriptionModel, ReadsSubscription) {
    auto subscription = parse_resource<WebhookSubscription>(json::parse(R"({"resource": {
      "uri": "https://api.calendly.com/webhook_subscriptions/AAAAAAAAAAAAAAAA",
      "callback_url": "https://blah.foo/bar", "created_at": "2019-08-24T14:15:22.123456Z",
      "updated_at": "2019-08-24T14:15:22.123456Z", "retry_started_at": null,
      "state": "active", "events": ["invitee.created", "invitee.canceled"],
      "scope": "user",
      "organization": "https://api.calendly.com/organizations/AAAAAAAAAAAAAAAA",
      "user": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA", "group": null,
      "creator": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA"}})"));
    ASSERT_TRUE(subscription) << subscription.error().message;
    EXPECT_EQ(subscription->events,
              (std::vector<std::string>{"invitee.created", "invitee.canceled"}));
    EXPECT_FALSE(subscription->retry_started_at);
    EXPECT_FALSE(subscription->group);
    EXPECT_EQ(subscription->scope, "user");
}

TEST(ErrorResponseModel, ReadsDetails) {
    auto error = ErrorResponse::parse(json::parse(R"({
      "title": "Invalid Argument", "message": "The supplied parameters are invalid.",
      "details": [{"parameter": "email", "message": "is invalid"}, {"message": "general"}]})"));
    ASSERT_TRUE(error) << error.error().message;
    EXPECT_EQ(error->title, "Invalid Argument");
    EXPECT_EQ(error->details,
              (std::vector<ErrorDetail>{{"email", "is invalid"}, {"", "general"}}));
}

TEST(ErrorResponseModel, DetailsAreOptional) {
    auto error = ErrorResponse::parse(
        json{{"title", "Resource Not Found"}, {"message", "The server could not find it."}});
    ASSERT_TRUE(error);
    EXPECT_TRUE(error->details.empty());
}

// --- Tolerance where the reference is optional or nullable, and enums that grow (issue 19) ---

TEST(EventTypeModel, LocationsNullOrMissingReadAsNoLocationSpecification) {
    for (const char* value : {"null", "missing", "[]"}) {
        json type = event_type_json();
        if (std::string_view(value) == "missing") {
            type.erase("locations");
        } else {
            type["locations"] = json::parse(value);
        }
        const auto parsed = EventType::parse(type);
        ASSERT_TRUE(parsed) << value << ": " << parsed.error().message;
        EXPECT_TRUE(parsed->locations.empty()) << value;
    }
}

TEST(EventTypeModel, ReadsEveryLocationKindAndCarriesUnknownOnes) {
    json type = event_type_json();
    type["locations"] = json::parse(R"([
      {"kind": "physical", "location": "123 Main St", "additional_info": "Ring twice", "position": 0},
      {"kind": "inbound_call", "phone_number": "+380934567654", "additional_info": null, "position": 1},
      {"kind": "outbound_call", "position": 2},
      {"kind": "ask_invitee", "location": "Where shall we meet?", "position": 3},
      {"kind": "custom", "location": "The usual place", "position": 4},
      {"kind": "google_conference", "position": 5, "conferencing_configured": true},
      {"kind": "holographic_conference", "position": 6, "a_new_field": {"x": 1}}
    ])");
    const auto parsed = EventType::parse(type);
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->locations.size(), 7u);
    EXPECT_EQ(parsed->locations[0].location, "123 Main St");
    EXPECT_EQ(parsed->locations[1].phone_number, "+380934567654");
    EXPECT_FALSE(parsed->locations[1].additional_info);
    EXPECT_EQ(parsed->locations[2].kind, "outbound_call");
    EXPECT_FALSE(parsed->locations[2].location);
    EXPECT_EQ(parsed->locations[6].kind, "holographic_conference");
    EXPECT_EQ(parsed->locations[6].raw.at("a_new_field").at("x"), 1);
}

TEST(EventTypeModel, UnknownEventKindAndPoolingTypeAreCarried) {
    json type = event_type_json();
    type["kind"] = "multi_host";
    type["pooling_type"] = "multi_pool";
    type["type"] = "SomeNewEventType";
    const auto parsed = EventType::parse(type);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->kind, "multi_host");
    EXPECT_EQ(parsed->pooling_type, "multi_pool");
    EXPECT_EQ(parsed->type, "SomeNewEventType");
}

TEST(EventTypeModel, ReadsIncrementsBuffersAndLocaleWhereGiven) {
    json type = event_type_json();
    type["start_time_increment"] = 15;
    type["before_buffer"] = 10;
    type["after_buffer"] = 0;
    type["locale"] = "fr";
    auto parsed = EventType::parse(type);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->start_time_increment, 15);
    EXPECT_EQ(parsed->before_buffer, 10);
    EXPECT_EQ(parsed->after_buffer, 0);
    EXPECT_EQ(parsed->locale, "fr");
    // developer.calendly.com/release-notes/2026/11/13: "start_time_increment is null for one-off
    // Event Types"; older answers have none of the four.
    type["start_time_increment"] = nullptr;
    type.erase("before_buffer");
    type.erase("after_buffer");
    type["locale"] = nullptr;
    parsed = EventType::parse(type);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_FALSE(parsed->start_time_increment);
    EXPECT_FALSE(parsed->before_buffer);
    EXPECT_FALSE(parsed->locale);
}

TEST(EventTypeModel, QuestionChoicesMayBeNullAndUnknownQuestionTypesAreCarried) {
    json type = event_type_json();
    type["custom_questions"] = json::parse(R"([
      {"name": "Team size", "type": "single_select", "position": 0, "enabled": true, "required": true,
       "answer_choices": ["1-10", "11-50"], "include_other": true},
      {"name": "Notes", "type": "text", "position": 1, "enabled": true, "required": false,
       "answer_choices": null, "include_other": false},
      {"name": "Upload", "type": "file_upload", "position": 2, "enabled": false, "required": false}
    ])");
    const auto parsed = EventType::parse(type);
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->custom_questions.size(), 3u);
    EXPECT_EQ(parsed->custom_questions[0].answer_choices, (std::vector<std::string>{"1-10", "11-50"}));
    EXPECT_TRUE(parsed->custom_questions[0].include_other);
    EXPECT_TRUE(parsed->custom_questions[1].answer_choices.empty());
    EXPECT_EQ(parsed->custom_questions[2].type, "file_upload");
    EXPECT_FALSE(parsed->custom_questions[2].include_other);
}

TEST(EventTypeModel, AListWithATypeWithoutLocationsStaysReadable) {
    json without = event_type_json();
    without["locations"] = nullptr;
    without["pooling_type"] = "round_robin";
    json body = {{"collection", json::array({event_type_json(), without})},
                 {"pagination", {{"count", 2}, {"next_page", nullptr}, {"next_page_token", nullptr},
                                 {"previous_page", nullptr}, {"previous_page_token", nullptr}}}};
    const auto page = parse_page<EventType>(body);
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->collection.size(), 2u);
    EXPECT_EQ(page->collection[0].locations.size(), 1u);
    EXPECT_TRUE(page->collection[1].locations.empty());
}

TEST(ScheduledEventModel, AListWithACancellationWithoutCreatedAtStaysReadable) {
    json canceled = scheduled_event_json();
    canceled["status"] = "canceled";
    canceled["cancellation"] = {{"canceled_by", "Jane"}, {"reason", nullptr}, {"canceler_type", "invitee"}};
    json body = {{"collection", json::array({scheduled_event_json(), canceled})},
                 {"pagination", {{"count", 2}, {"next_page", nullptr}, {"next_page_token", nullptr}}}};
    const auto page = parse_page<ScheduledEvent>(body);
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->collection.size(), 2u);
    ASSERT_TRUE(page->collection[1].cancellation);
    EXPECT_FALSE(page->collection[1].cancellation->created_at);
    EXPECT_FALSE(page->collection[1].cancellation->reason);
}

TEST(ScheduledEventModel, UnknownStatusAndLocationTypeAreCarriedAndLocationMayBeNull) {
    json event = scheduled_event_json();
    event["status"] = "pending_confirmation";
    event["location"] = {{"type", "holographic_conference"}, {"status", "pushed"}};
    auto parsed = ScheduledEvent::parse(event);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->status, "pending_confirmation");
    EXPECT_EQ(parsed->location_type, "holographic_conference");
    event["location"] = nullptr;
    parsed = ScheduledEvent::parse(event);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_FALSE(parsed->location_type);
}

TEST(InviteeModel, CancellationWithoutCreatedAtAndUnknownStatusAreRead) {
    json invitee = invitee_json();
    invitee["status"] = "some_new_status";
    invitee["cancellation"] = {{"canceled_by", "Host"}, {"reason", nullptr}, {"canceler_type", "host"}};
    const auto parsed = Invitee::parse(invitee);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->status, "some_new_status");
    ASSERT_TRUE(parsed->cancellation);
    EXPECT_FALSE(parsed->cancellation->created_at);
}

TEST(SchedulingLinkModel, OwnerAndOwnerTypeAreOptional) {
    for (const char* body : {R"({"resource": {"booking_url": "https://calendly.com/d/abc-123"}})",
                             R"({"resource": {"booking_url": "https://calendly.com/d/abc-123", "owner": null,
                                              "owner_type": null}})"}) {
        const auto link = parse_resource<SchedulingLink>(json::parse(body));
        ASSERT_TRUE(link) << link.error().message;
        EXPECT_EQ(link->booking_url, "https://calendly.com/d/abc-123");
        EXPECT_FALSE(link->owner);
        EXPECT_FALSE(link->owner_type);
    }
}

// GET /organization_memberships items, as Calendly's reference models them (research:
// /work/research/calendly-teams.md section 1).
TEST(OrganizationMembershipModel, ReadsTheMemberAndTheRole) {
    const auto membership = OrganizationMembership::parse(json::parse(R"({
      "uri": "https://api.calendly.com/organization_memberships/MMMM",
      "role": "admin",
      "user": {"uri": "https://api.calendly.com/users/UUUU", "name": "Dana Whitfield", "slug": "dana-whitfield",
               "email": "dana@example.com", "scheduling_url": "https://calendly.com/dana-whitfield",
               "timezone": "America/Chicago", "avatar_url": null, "locale": "en"},
      "organization": "https://api.calendly.com/organizations/OOOO",
      "created_at": "2024-01-02T03:04:05.678123Z", "updated_at": "2024-01-02T03:04:05.678123Z"})"));
    ASSERT_TRUE(membership) << membership.error().message;
    EXPECT_TRUE(membership->is_admin());
    EXPECT_EQ(membership->user.uri, "https://api.calendly.com/users/UUUU");
    EXPECT_EQ(membership->user.name, "Dana Whitfield");
    EXPECT_EQ(membership->user.email, "dana@example.com");
    EXPECT_EQ(membership->user.timezone, "America/Chicago");
    EXPECT_FALSE(membership->user.avatar_url);
    EXPECT_EQ(membership->organization, "https://api.calendly.com/organizations/OOOO");
}

TEST(OrganizationMembershipModel, AnUnknownRoleIsCarriedAndNotAnAdmins) {
    const auto membership = OrganizationMembership::parse(json::parse(R"({
      "uri": "https://api.calendly.com/organization_memberships/MMMM", "role": "team_manager",
      "user": {"uri": "https://api.calendly.com/users/UUUU"}})"));
    ASSERT_TRUE(membership) << membership.error().message;
    EXPECT_EQ(membership->role, "team_manager");
    EXPECT_FALSE(membership->is_admin());
}

TEST(OrganizationMembershipModel, WithoutAUserItIsUnusable) {
    const auto missing = OrganizationMembership::parse(
        json::parse(R"({"uri": "https://api.calendly.com/organization_memberships/MMMM", "role": "user"})"),
        "collection[2]");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("collection[2].user"), std::string::npos) << missing.error().message;
    const auto no_uri = OrganizationMembership::parse(
        json::parse(R"({"uri": "https://api.calendly.com/organization_memberships/MMMM", "user": {"name": "X"}})"),
        "collection[0]");
    ASSERT_FALSE(no_uri);
    EXPECT_NE(no_uri.error().message.find("collection[0].user.uri"), std::string::npos) << no_uri.error().message;
}

// GET /event_type_memberships: the reference's excerpt stops before the item schema, so the host
// is read from an embedded `member`, an embedded `user`, or a `user` URI.
TEST(EventTypeHostModel, ReadsTheHostFromMemberOrUser) {
    const auto member = EventTypeHost::parse(json::parse(R"({
      "uri": "https://api.calendly.com/event_type_memberships/EEEE",
      "event_type": {"uri": "https://api.calendly.com/event_types/TTTT", "name": "Sales demo"},
      "member": {"uri": "https://api.calendly.com/users/AAAA", "name": "Dana Whitfield"}})"));
    ASSERT_TRUE(member) << member.error().message;
    EXPECT_EQ(member->user_uri, "https://api.calendly.com/users/AAAA");
    ASSERT_TRUE(member->member);
    EXPECT_EQ(member->member->name, "Dana Whitfield");

    const auto embedded_user = EventTypeHost::parse(json::parse(
        R"({"uri": "https://api.calendly.com/event_type_memberships/EEEE", "user": {"uri": "https://api.calendly.com/users/BBBB"}})"));
    ASSERT_TRUE(embedded_user) << embedded_user.error().message;
    EXPECT_EQ(embedded_user->user_uri, "https://api.calendly.com/users/BBBB");

    const auto user_uri = EventTypeHost::parse(json::parse(
        R"({"uri": "https://api.calendly.com/event_type_memberships/EEEE", "user": "https://api.calendly.com/users/CCCC"})"));
    ASSERT_TRUE(user_uri) << user_uri.error().message;
    EXPECT_EQ(user_uri->user_uri, "https://api.calendly.com/users/CCCC");
    EXPECT_FALSE(user_uri->member);

    const auto neither = EventTypeHost::parse(json::parse(R"({"uri": "https://api.calendly.com/event_type_memberships/EEEE"})"));
    EXPECT_FALSE(neither);
}

TEST(EventTypeModel, ReadsTheProfileTypeAndAdminManaged) {
    auto object = event_type_json();
    object["profile"] = {{"type", "Team"}, {"name", "Sales"}, {"owner", "https://api.calendly.com/teams/T"}};
    object["admin_managed"] = true;
    const auto type = EventType::parse(object);
    ASSERT_TRUE(type) << type.error().message;
    EXPECT_EQ(type->profile_type, "Team");
    EXPECT_EQ(type->profile_name, "Sales");
    EXPECT_TRUE(type->admin_managed);
    EXPECT_TRUE(type->host_names.empty());
}

}  // namespace
}  // namespace calrt::calendly
