// The fake Calendly's POST /invitees is as strict as Calendly about the location an event type is
// configured with and about its required questions, and its varied seed types carry each
// location kind.
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

FakeCalendlyOptions varied() {
    FakeCalendlyOptions options;
    options.varied_event_types = true;
    return options;
}

class FakeCalendlyBookingDetailsTest : public ::testing::Test {
  protected:
    std::string first_open_start(const std::string& event_type) {
        const auto start = Clock::now() + 1min;
        const auto body = body_of(
            fake.get(with_query("/event_type_available_times",
                                {{"event_type", event_type},
                                 {"start_time", fake::format_calendly_time(start)},
                                 {"end_time", fake::format_calendly_time(start + 7 * 24h)}})));
        return body["collection"].at(0)["start_time"];
    }
    test::HttpResponse book(const std::string& slug, const json& extra) {
        const auto type = fake->event_type_uri(slug);
        json request = {{"event_type", type},
                        {"start_time", first_open_start(type)},
                        {"invitee",
                         {{"name", "Ada Lovelace"},
                          {"email", "ada@example.com"},
                          {"timezone", "Europe/London"}}}};
        request.update(extra);
        return fake.call("POST", "/invitees", request.dump());
    }
    static bool has_detail(const json& error, const std::string& parameter) {
        for (const auto& detail : error.value("details", json::array())) {
            if (detail.value("parameter", "") == parameter) return true;
        }
        return false;
    }

    RunningFakeCalendly fake{varied()};
};

TEST_F(FakeCalendlyBookingDetailsTest, VariedTypesCarryEachLocationKindAndRequiredQuestions) {
    const auto phone = body_of(fake.get(fake->event_type_uri("phone-call")))["resource"];
    EXPECT_EQ(phone["locations"][0]["kind"], "outbound_call");
    const auto intake = body_of(fake.get(fake->event_type_uri("intake-interview")))["resource"];
    EXPECT_EQ(intake["custom_questions"].size(), 5u);
    EXPECT_EQ(intake["custom_questions"][1]["answer_choices"].size(), 3u);
    EXPECT_TRUE(
        body_of(fake.get(fake->event_type_uri("team-intro")))["resource"]["locations"].is_null());
    for (const char* slug :
         {"call-in", "site-visit", "office-meeting", "workshop", "custom-place"}) {
        EXPECT_FALSE(fake->event_type_uri(slug).empty()) << slug;
    }
    EXPECT_EQ(fake->active_event_type_uris().size(), 5u) << "the five every test counts on";
}

TEST(FakeCalendlyDefaultSeed, HasOnlyTheFiveActiveTypes) {
    RunningFakeCalendly fake;
    EXPECT_TRUE(fake->event_type_uri("phone-call").empty());
    const auto body = body_of(
        fake.get(with_query("/event_types", {{"user", fake->user_uri()}, {"active", "true"}})));
    EXPECT_EQ(body["collection"].size(), 5u);
}

TEST_F(FakeCalendlyBookingDetailsTest,
       OutboundCallWithoutLocationIsRefusedWithCalendlysErrorShape) {
    const auto response = book("phone-call", json::object());
    ASSERT_EQ(response.result_int(), 400u);
    const auto error = body_of(response);
    EXPECT_EQ(error["title"], "Invalid Argument");
    EXPECT_EQ(error["message"], "The supplied parameters are invalid.");
    EXPECT_TRUE(has_detail(error, "location"));
    EXPECT_TRUE(fake->bookings().empty());
}

TEST_F(FakeCalendlyBookingDetailsTest, OutboundCallNeedsThePhoneInLocation) {
    const auto no_phone = book("phone-call", {{"location", {{"kind", "outbound_call"}}}});
    ASSERT_EQ(no_phone.result_int(), 400u);
    EXPECT_TRUE(has_detail(body_of(no_phone), "location.location"));

    const auto bad_phone =
        book("phone-call", {{"location", {{"kind", "outbound_call"}, {"location", "555-0100"}}}});
    ASSERT_EQ(bad_phone.result_int(), 400u);
    EXPECT_TRUE(has_detail(body_of(bad_phone), "location.location"));

    const auto booked = book(
        "phone-call", {{"location", {{"kind", "outbound_call"}, {"location", "+14155550123"}}}});
    ASSERT_EQ(booked.result_int(), 201u) << booked.body();
    ASSERT_EQ(fake->bookings().size(), 1u);
    EXPECT_EQ(fake->bookings()[0].location_kind, "outbound_call");
    EXPECT_EQ(fake->bookings()[0].location, "+14155550123");
    const auto event =
        body_of(fake.get(body_of(booked)["resource"]["event"].get<std::string>()))["resource"];
    EXPECT_EQ(event["location"]["type"], "outbound_call");
    EXPECT_EQ(event["location"]["location"], "+14155550123");
}

TEST_F(FakeCalendlyBookingDetailsTest, KindTheTypeDoesNotOfferIsRefused) {
    const auto response = book("phone-call", {{"location", {{"kind", "zoom_conference"}}}});
    ASSERT_EQ(response.result_int(), 400u);
    EXPECT_TRUE(has_detail(body_of(response), "location.kind"));
}

TEST_F(FakeCalendlyBookingDetailsTest, AskInviteeNeedsTheirAnswerAndSeveralLocationsNeedAChoice) {
    EXPECT_EQ(book("site-visit", {{"location", {{"kind", "ask_invitee"}}}}).result_int(), 400u);
    EXPECT_EQ(book("workshop", json::object()).result_int(), 400u);
    EXPECT_EQ(book("workshop", {{"location", {{"kind", "zoom_conference"}}}}).result_int(), 201u);
}

TEST_F(FakeCalendlyBookingDetailsTest, TypeWithoutLocationsRefusesALocation) {
    EXPECT_EQ(book("team-intro", {{"location", {{"kind", "zoom_conference"}}}}).result_int(), 400u);
    EXPECT_EQ(book("team-intro", json::object()).result_int(), 201u);
}

TEST_F(FakeCalendlyBookingDetailsTest, EvenASingleConferencingLocationMustBeNamed) {
    // Calendly expects the location the event type is configured with (issue 19).
    const auto refused = book("15min", json::object());
    EXPECT_EQ(refused.result_int(), 400u);
    EXPECT_TRUE(has_detail(body_of(refused), "location")) << refused.body();
    EXPECT_EQ(book("15min", {{"location", {{"kind", "google_conference"}}}}).result_int(), 201u);
}

TEST_F(FakeCalendlyBookingDetailsTest, UnansweredRequiredQuestionsAreRefused) {
    const auto response =
        book("intake-interview",
             {{"location", {{"kind", "zoom_conference"}}},
              {"questions_and_answers",
               {{{"question", "Company name"}, {"answer", "Acme"}, {"position", 0}}}}});
    ASSERT_EQ(response.result_int(), 400u);
    const auto error = body_of(response);
    EXPECT_TRUE(has_detail(error, "questions_and_answers"));
    EXPECT_NE(error.dump().find("Topic"), std::string::npos);
}

TEST_F(FakeCalendlyBookingDetailsTest, AnswersMustMatchQuestionsAndChoices) {
    const json location = {{"kind", "zoom_conference"}};
    const auto wrong_choice =
        book("intake-interview",
             {{"location", location},
              {"questions_and_answers",
               {{{"question", "Company name"}, {"answer", "Acme"}, {"position", 0}},
                {{"question", "Topic"}, {"answer", "Billing"}, {"position", 1}},
                {{"question", "Products of interest"}, {"answer", "Routing"}, {"position", 2}}}}});
    ASSERT_EQ(wrong_choice.result_int(), 400u);
    EXPECT_TRUE(has_detail(body_of(wrong_choice), "questions_and_answers[1].answer"));

    const auto no_question = book(
        "intake-interview", {{"location", location},
                             {"questions_and_answers", {{{"answer", "Acme"}, {"position", 0}}}}});
    ASSERT_EQ(no_question.result_int(), 400u);
    EXPECT_TRUE(has_detail(body_of(no_question), "questions_and_answers[0].question"));

    const auto booked = book("intake-interview",
                             {{"location", location},
                              {"questions_and_answers",
                               {{{"question", "Company name"}, {"answer", "Acme"}, {"position", 0}},
                                {{"question", "Topic"}, {"answer", "Support"}, {"position", 1}},
                                {{"question", "Products of interest"},
                                 {"answer", "Routing\nAnalytics"},
                                 {"position", 2}}}}});
    ASSERT_EQ(booked.result_int(), 201u) << booked.body();
    EXPECT_EQ(body_of(booked)["resource"]["questions_and_answers"].size(), 3u);
    EXPECT_EQ(fake->bookings().at(0).questions_and_answers.size(), 3u);
}

}  // namespace
}  // namespace calrt::testing
