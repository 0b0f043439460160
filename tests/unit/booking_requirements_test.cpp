#include "calrt/calendly/booking_requirements.hpp"

#include <gtest/gtest.h>

namespace calrt::calendly {
namespace {

EventTypeLocation location_of(std::string kind, std::optional<std::string> text = std::nullopt) {
    EventTypeLocation location;
    location.kind = std::move(kind);
    location.location = std::move(text);
    return location;
}

CustomQuestion question_of(std::string name, std::string type, std::int64_t position, bool required,
                           std::vector<std::string> choices = {}, bool include_other = false) {
    CustomQuestion question;
    question.name = std::move(name);
    question.type = std::move(type);
    question.position = position;
    question.enabled = true;
    question.required = required;
    question.answer_choices = std::move(choices);
    question.include_other = include_other;
    return question;
}

EventType type_with(std::vector<EventTypeLocation> locations,
                    std::vector<CustomQuestion> questions = {}) {
    EventType type;
    type.uri = "https://api.calendly.com/event_types/T";
    type.name = "Phone Call";
    type.active = true;
    type.locations = std::move(locations);
    type.custom_questions = std::move(questions);
    return type;
}

GivenBookingDetails with_location(std::string kind, std::optional<std::string> phone = std::nullopt,
                                  std::optional<std::string> details = std::nullopt) {
    GivenBookingDetails given;
    given.location = GivenLocation{std::move(kind), std::move(phone), std::move(details)};
    return given;
}

bool names_parameter(const Error& error, std::string_view parameter) {
    for (const auto& detail : error.details) {
        if (detail.parameter == parameter) return true;
    }
    return false;
}

TEST(NormalizedE164, AcceptsInternationalNumbersAndDropsGroupSeparators) {
    EXPECT_EQ(normalized_e164("+14155550123"), "+14155550123");
    EXPECT_EQ(normalized_e164(" +1 (415) 555-01.23 "), "+14155550123");
    EXPECT_EQ(normalized_e164("+4930123456"), "+4930123456");
}

TEST(NormalizedE164, RefusesWhatIsNotE164) {
    EXPECT_FALSE(normalized_e164("4155550123"));         // no +
    EXPECT_FALSE(normalized_e164("+04155550123"));       // country code 0
    EXPECT_FALSE(normalized_e164("+1234567"));           // 7 digits
    EXPECT_FALSE(normalized_e164("+1234567890123456"));  // 16 digits
    EXPECT_FALSE(normalized_e164("+1415555O123"));       // a letter
    EXPECT_FALSE(normalized_e164("+1+4155550123"));
    EXPECT_FALSE(normalized_e164(""));
}

TEST(BookingRequirements, ConferencingTypeNeedsNothingFromTheInvitee) {
    const auto requirements = booking_requirements(type_with({location_of("google_conference")}));
    ASSERT_EQ(requirements.locations.size(), 1u);
    EXPECT_EQ(requirements.locations[0].invitee_supplies, InviteeSupplies::nothing);
    EXPECT_FALSE(requirements.link_only_reason);

    auto resolved = resolve_booking_details(type_with({location_of("google_conference")}), {});
    ASSERT_TRUE(resolved) << resolved.error().message;
    ASSERT_TRUE(resolved->location);
    EXPECT_EQ(resolved->location->kind, "google_conference");
    EXPECT_FALSE(resolved->location->location);
}

TEST(BookingRequirements, TypeWithoutLocationsSendsNoLocation) {
    auto resolved = resolve_booking_details(type_with({}), with_location("zoom_conference"));
    ASSERT_TRUE(resolved);
    EXPECT_FALSE(resolved->location);
}

TEST(BookingRequirements, RoundRobinTypeSendsNoLocation) {
    auto type = type_with({location_of("zoom_conference")});
    type.pooling_type = "round_robin";
    EXPECT_TRUE(booking_requirements(type).locations.empty());
    auto resolved = resolve_booking_details(type, {});
    ASSERT_TRUE(resolved);
    EXPECT_FALSE(resolved->location);
}

TEST(BookingRequirements, OutboundCallWithoutPhoneAsksForIt) {
    const auto type = type_with({location_of("outbound_call")});
    EXPECT_EQ(booking_requirements(type).locations.at(0).invitee_supplies,
              InviteeSupplies::phone_number);
    auto resolved = resolve_booking_details(type, {});
    ASSERT_FALSE(resolved);
    EXPECT_EQ(resolved.error().code, "booking_details_required");
    EXPECT_EQ(resolved.error().kind, ErrorKind::invalid_argument);
    EXPECT_TRUE(names_parameter(resolved.error(), "location.phone_number"));
    EXPECT_NE(resolved.error().message.find("phone number"), std::string::npos);
}

TEST(BookingRequirements, OutboundCallSendsTheNormalizedPhoneAsLocation) {
    auto resolved = resolve_booking_details(type_with({location_of("outbound_call")}),
                                            with_location("", "+44 20 7946 0958"));
    ASSERT_TRUE(resolved) << resolved.error().message;
    ASSERT_TRUE(resolved->location);
    EXPECT_EQ(resolved->location->kind, "outbound_call");
    EXPECT_EQ(resolved->location->location, "+442079460958");
}

TEST(BookingRequirements, OutboundCallRefusesANumberNotInE164) {
    auto resolved = resolve_booking_details(type_with({location_of("outbound_call")}),
                                            with_location("outbound_call", "555-0123"));
    ASSERT_FALSE(resolved);
    EXPECT_EQ(resolved.error().code, "invalid_booking_details");
    EXPECT_TRUE(names_parameter(resolved.error(), "location.phone_number"));
}

TEST(BookingRequirements, AskInviteeNeedsTheirAnswer) {
    const auto type = type_with({location_of("ask_invitee")});
    auto missing = resolve_booking_details(type, {});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "booking_details_required");
    EXPECT_TRUE(names_parameter(missing.error(), "location.details"));

    auto resolved =
        resolve_booking_details(type, with_location("ask_invitee", std::nullopt, " Cafe Central "));
    ASSERT_TRUE(resolved);
    EXPECT_EQ(resolved->location->location, "Cafe Central");
}

TEST(BookingRequirements, PhysicalAndCustomCarryTheTypesOwnText) {
    auto physical = resolve_booking_details(type_with({location_of("physical", "1 Main St")}), {});
    ASSERT_TRUE(physical);
    EXPECT_EQ(physical->location->kind, "physical");
    EXPECT_EQ(physical->location->location, "1 Main St");

    auto custom =
        resolve_booking_details(type_with({location_of("custom", "The usual place")}), {});
    ASSERT_TRUE(custom);
    EXPECT_EQ(custom->location->location, "The usual place");
}

TEST(BookingRequirements, InboundCallSendsTheKindAlone) {
    auto location = location_of("inbound_call");
    location.phone_number = "+14155550100";
    auto resolved = resolve_booking_details(type_with({location}), {});
    ASSERT_TRUE(resolved);
    EXPECT_EQ(resolved->location->kind, "inbound_call");
    EXPECT_FALSE(resolved->location->location);
    EXPECT_NE(
        booking_requirements(type_with({location})).locations[0].description.find("+14155550100"),
        std::string::npos);
}

TEST(BookingRequirements, SeveralLocationsRequireAChoice) {
    const auto type =
        type_with({location_of("zoom_conference"), location_of("physical", "1 Main St")});
    auto missing = resolve_booking_details(type, {});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "booking_details_required");
    EXPECT_TRUE(names_parameter(missing.error(), "location.kind"));
    EXPECT_NE(missing.error().message.find("zoom_conference"), std::string::npos);
    EXPECT_NE(missing.error().message.find("physical"), std::string::npos);

    auto chosen = resolve_booking_details(type, with_location("physical"));
    ASSERT_TRUE(chosen);
    EXPECT_EQ(chosen->location->kind, "physical");
    EXPECT_EQ(chosen->location->location, "1 Main St");
}

TEST(BookingRequirements, KindTheTypeDoesNotOfferIsInvalid) {
    auto resolved = resolve_booking_details(type_with({location_of("zoom_conference")}),
                                            with_location("physical"));
    ASSERT_FALSE(resolved);
    EXPECT_EQ(resolved.error().code, "invalid_booking_details");
    EXPECT_TRUE(names_parameter(resolved.error(), "location.kind"));
}

TEST(BookingRequirements, OnlyUnknownLocationKindsMeansLinkOnly) {
    const auto type = type_with({location_of("hologram_conference")});
    const auto requirements = booking_requirements(type);
    ASSERT_TRUE(requirements.link_only_reason);
    EXPECT_NE(requirements.link_only_reason->find("hologram_conference"), std::string::npos);
    auto resolved = resolve_booking_details(type, {});
    ASSERT_FALSE(resolved);
    EXPECT_EQ(resolved.error().code, "booking_requires_link");

    // Beside a known kind, the unknown one is simply not offered.
    EXPECT_FALSE(booking_requirements(type_with({location_of("hologram_conference"),
                                                 location_of("zoom_conference")}))
                     .link_only_reason);
}

TEST(BookingRequirements, RequiredQuestionsAreAskedInPositionOrderWithChoices) {
    auto type = type_with(
        {}, {question_of("Topic", "single_select", 2, true, {"Sales", "Support"}),
             question_of("Company", "string", 0, true), question_of("Notes", "text", 1, false)});
    type.custom_questions.push_back(question_of("Hidden", "string", 3, true));
    type.custom_questions.back().enabled = false;
    const auto requirements = booking_requirements(type);
    ASSERT_EQ(requirements.questions.size(), 3u);
    EXPECT_EQ(requirements.questions[0].question, "Company");
    EXPECT_EQ(requirements.questions[2].choices, (std::vector<std::string>{"Sales", "Support"}));

    auto missing = resolve_booking_details(type, {});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "booking_details_required");
    EXPECT_EQ(missing.error().details.size(),
              2u);  // Company and Topic; Notes is optional, Hidden disabled
    EXPECT_NE(missing.error().message.find("'Topic' (one of: Sales, Support)"), std::string::npos);
}

TEST(BookingRequirements, AnswersAreMatchedLooselyAndSentWithExactTextAndPosition) {
    auto type =
        type_with({}, {question_of("Company name", "string", 0, true),
                       question_of("Topic", "single_select", 1, true, {"Sales", "Support"})});
    GivenBookingDetails given;
    given.answers = {{"company NAME ", "Acme"}, {"topic", "support"}};
    auto resolved = resolve_booking_details(type, given);
    ASSERT_TRUE(resolved) << resolved.error().message;
    ASSERT_EQ(resolved->answers.size(), 2u);
    EXPECT_EQ(resolved->answers[0].question, "Company name");
    EXPECT_EQ(resolved->answers[0].answer, "Acme");
    EXPECT_EQ(resolved->answers[0].position, 0);
    EXPECT_EQ(resolved->answers[1].answer, "Support");
    EXPECT_EQ(resolved->answers[1].position, 1);
}

TEST(BookingRequirements, SingleSelectRefusesAnAnswerNotOfferedUnlessOtherIsAllowed) {
    GivenBookingDetails given;
    given.answers = {{"Topic", "Billing"}};
    auto strict = resolve_booking_details(
        type_with({}, {question_of("Topic", "single_select", 0, true, {"Sales"})}), given);
    ASSERT_FALSE(strict);
    EXPECT_EQ(strict.error().code, "invalid_booking_details");
    EXPECT_TRUE(names_parameter(strict.error(), "answers[0].answer"));

    auto open = resolve_booking_details(
        type_with({}, {question_of("Topic", "single_select", 0, true, {"Sales"}, true)}), given);
    ASSERT_TRUE(open);
    EXPECT_EQ(open->answers.at(0).answer, "Billing");
}

TEST(BookingRequirements, MultiSelectTakesSeveralChoicesJoinedByLines) {
    auto type =
        type_with({}, {question_of("Products", "multi_select", 0, true, {"A, large", "B", "C"})});
    GivenBookingDetails given;
    given.answers = {{"Products", "a, large\nc"}};
    auto by_lines = resolve_booking_details(type, given);
    ASSERT_TRUE(by_lines) << by_lines.error().message;
    EXPECT_EQ(by_lines->answers.at(0).answer, "A, large\nC");

    given.answers = {{"Products", "B, C"}};
    auto by_commas = resolve_booking_details(type, given);
    ASSERT_TRUE(by_commas);
    EXPECT_EQ(by_commas->answers.at(0).answer, "B\nC");

    given.answers = {{"Products", "B, D"}};
    auto wrong = resolve_booking_details(type, given);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "invalid_booking_details");
}

TEST(BookingRequirements, PhoneQuestionIsValidatedAsE164) {
    auto type = type_with({}, {question_of("Mobile", "phone_number", 0, false)});
    GivenBookingDetails given;
    given.answers = {{"Mobile", "12345"}};
    auto wrong = resolve_booking_details(type, given);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "invalid_booking_details");

    given.answers = {{"Mobile", "+1 415 555 0123"}};
    auto right = resolve_booking_details(type, given);
    ASSERT_TRUE(right);
    EXPECT_EQ(right->answers.at(0).answer, "+14155550123");
}

TEST(BookingRequirements, UnknownQuestionDuplicateAnswerAndOverlongTextAreInvalid) {
    auto type = type_with({}, {question_of("Company", "string", 0, false)});
    GivenBookingDetails given;
    given.answers = {{"Budget", "lots"}};
    auto unknown = resolve_booking_details(type, given);
    ASSERT_FALSE(unknown);
    EXPECT_TRUE(names_parameter(unknown.error(), "answers[0].question"));

    given.answers = {{"Company", "Acme"}, {"company", "Acme Inc"}};
    auto twice = resolve_booking_details(type, given);
    ASSERT_FALSE(twice);
    EXPECT_TRUE(names_parameter(twice.error(), "answers[1].question"));

    given.answers = {{"Company", std::string(501, 'x')}};
    auto long_answer = resolve_booking_details(type, given);
    ASSERT_FALSE(long_answer);
    EXPECT_EQ(long_answer.error().code, "invalid_booking_details");
}

TEST(BookingRequirements, OptionalQuestionsMayStayUnansweredAndEmptyAnswersAreDropped) {
    auto type = type_with({}, {question_of("Notes", "text", 0, false)});
    GivenBookingDetails given;
    given.answers = {{"Notes", "   "}};
    auto resolved = resolve_booking_details(type, given);
    ASSERT_TRUE(resolved);
    EXPECT_TRUE(resolved->answers.empty());
}

TEST(BookingRequirements, RequiredQuestionOfUnknownTypeMeansLinkOnly) {
    auto type = type_with({}, {question_of("Signature", "file_upload", 0, true)});
    const auto requirements = booking_requirements(type);
    ASSERT_TRUE(requirements.link_only_reason);
    EXPECT_NE(requirements.link_only_reason->find("Signature"), std::string::npos);
    EXPECT_TRUE(requirements.questions.empty());

    auto optional_type = type_with({}, {question_of("Signature", "file_upload", 0, false)});
    EXPECT_FALSE(booking_requirements(optional_type).link_only_reason);
    EXPECT_TRUE(resolve_booking_details(optional_type, {}));
}

TEST(BookingRequirements, InvalidWinsOverMissingWhenBothOccur) {
    auto type =
        type_with({location_of("outbound_call")}, {question_of("Company", "string", 0, true)});
    auto resolved = resolve_booking_details(type, with_location("outbound_call", "not a number"));
    ASSERT_FALSE(resolved);
    EXPECT_EQ(resolved.error().code, "invalid_booking_details");
}

}  // namespace
}  // namespace calrt::calendly
