// The body CalendlyClient::create_invitee sends to POST /invitees ("Create Event Invitee"):
// `location` {"kind"[, "location"]} and `questions_and_answers` [{"question", "answer",
// "position"}] as the reference shapes them (/work/research/calendly.md §1, §6), omitted when absent.
#include "calrt/calendly/calendly_client.hpp"

#include <gtest/gtest.h>

namespace calrt::calendly {
namespace {

using nlohmann::json;

InviteeRequest plain_request() {
    InviteeRequest request;
    request.event_type_uri = "https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA";
    request.start_time = parse_rfc3339("2026-12-08T15:00:00Z").value();
    request.name = "Ada Lovelace";
    request.email = "ada@example.com";
    request.timezone = "Europe/London";
    return request;
}

TEST(InviteeRequestBody, WithoutLocationOrAnswersSendsNeitherKey) {
    const json body = invitee_request_body(plain_request());
    EXPECT_EQ(body.at("event_type"), "https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA");
    EXPECT_EQ(body.at("start_time"), "2026-12-08T15:00:00.000000Z");
    EXPECT_EQ(body.at("invitee"),
              (json{{"name", "Ada Lovelace"}, {"email", "ada@example.com"}, {"timezone", "Europe/London"}}));
    EXPECT_FALSE(body.contains("location"));
    EXPECT_FALSE(body.contains("questions_and_answers"));
}

TEST(InviteeRequestBody, TextReminderNumberGoesInTheInviteeOnlyWhenGiven) {
    InviteeRequest request = plain_request();
    request.text_reminder_number = "+14155550123";
    EXPECT_EQ(invitee_request_body(request).at("invitee").at("text_reminder_number"), "+14155550123");
    EXPECT_FALSE(invitee_request_body(plain_request()).at("invitee").contains("text_reminder_number"));
}

TEST(InviteeRequestBody, AKindCalendlyFillsInIsSentAlone) {
    InviteeRequest request = plain_request();
    request.location = InviteeLocation{"zoom_conference", std::nullopt};
    EXPECT_EQ(invitee_request_body(request).at("location"), (json{{"kind", "zoom_conference"}}));
}

TEST(InviteeRequestBody, TheInviteesPhoneOrAnswerGoesInLocation) {
    InviteeRequest request = plain_request();
    request.location = InviteeLocation{"outbound_call", "+14155551234"};
    EXPECT_EQ(invitee_request_body(request).at("location"),
              (json{{"kind", "outbound_call"}, {"location", "+14155551234"}}));
    request.location = InviteeLocation{"ask_invitee", "My office, 2nd floor"};
    EXPECT_EQ(invitee_request_body(request).at("location"),
              (json{{"kind", "ask_invitee"}, {"location", "My office, 2nd floor"}}));
}

TEST(InviteeRequestBody, AnswersCarryQuestionAnswerAndPosition) {
    InviteeRequest request = plain_request();
    request.answers = {{"Company Name", "Analytical Engines Ltd", 0}, {"Topics", "Pricing\nSupport", 2}};
    const json answers = invitee_request_body(request).at("questions_and_answers");
    ASSERT_TRUE(answers.is_array());
    ASSERT_EQ(answers.size(), 2u);
    EXPECT_EQ(answers[0], (json{{"question", "Company Name"}, {"answer", "Analytical Engines Ltd"}, {"position", 0}}));
    EXPECT_EQ(answers[1], (json{{"question", "Topics"}, {"answer", "Pricing\nSupport"}, {"position", 2}}));
    EXPECT_TRUE(answers[1].at("position").is_number_integer());
}

}  // namespace
}  // namespace calrt::calendly
