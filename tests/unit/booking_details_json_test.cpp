#include "calrt/calendly/booking_details_json.hpp"

#include <gtest/gtest.h>

namespace calrt::calendly {
namespace {

using nlohmann::json;

TEST(GivenBookingDetailsFromJson, ReadsLocationAndAnswersAndJoinsAnAnswerList) {
    const json body{{"location", {{"kind", "outbound_call"}, {"phone_number", "+14155550123"}}},
                    {"answers",
                     {{{"question", "Company"}, {"answer", "Acme"}},
                      {{"question", "Products"}, {"answer", {"A", "B"}}}}}};
    auto given = given_booking_details_from_json(body);
    ASSERT_TRUE(given) << given.error().message;
    ASSERT_TRUE(given->location);
    EXPECT_EQ(given->location->kind, "outbound_call");
    EXPECT_EQ(given->location->phone_number, "+14155550123");
    EXPECT_FALSE(given->location->details);
    ASSERT_EQ(given->answers.size(), 2u);
    EXPECT_EQ(given->answers[1].answer, "A\nB");
}

TEST(GivenBookingDetailsFromJson, NothingGivenIsNothing) {
    auto given = given_booking_details_from_json(json{{"location", nullptr}});
    ASSERT_TRUE(given);
    EXPECT_FALSE(given->location);
    EXPECT_TRUE(given->answers.empty());
}

TEST(GivenBookingDetailsFromJson, WrongShapesAreInvalidBookingDetailsNamingTheMember) {
    for (const json& body :
         {json{{"location", "zoom"}}, json{{"location", {{"kind", 5}}}},
          json{{"answers", json::object()}}, json{{"answers", {{{"answer", "x"}}}}},
          json{{"answers", {{{"question", "Q"}}}}}, json{{"answers", json::array({1})}}}) {
        auto given = given_booking_details_from_json(body);
        ASSERT_FALSE(given) << body.dump();
        EXPECT_EQ(given.error().code, "invalid_booking_details");
        EXPECT_FALSE(given.error().details.empty());
    }
    EXPECT_FALSE(given_booking_details_from_json(
        json{{"answers", json(51, json{{"question", "Q"}, {"answer", "a"}})}}))
        << "more than 50 answers";
}

TEST(BookingRequirementsJson, SaysWhatToAskAndWhetherTheTypeIsBookedDirectly) {
    BookingRequirements requirements;
    requirements.locations.push_back(
        {"outbound_call", "a phone call", InviteeSupplies::phone_number});
    requirements.questions.push_back(
        {"Topic", "single_select", 0, true, {"Sales", "Support"}, false});
    const json out = booking_requirements_json(requirements);
    EXPECT_TRUE(out["direct_booking"].get<bool>());
    EXPECT_FALSE(out["choose_location"].get<bool>());
    EXPECT_EQ(out["locations"][0]["ask_for"], "phone_number");
    EXPECT_EQ(out["questions"][0]["choices"], json({"Sales", "Support"}));
    EXPECT_FALSE(out["questions"][0]["other_allowed"].get<bool>());
    const std::string ask = out["ask_before_booking"];
    EXPECT_NE(ask.find("phone number"), std::string::npos);
    EXPECT_NE(ask.find("'Topic'"), std::string::npos);

    requirements.link_only_reason = "it asks for a file";
    const json link_only = booking_requirements_json(requirements);
    EXPECT_FALSE(link_only["direct_booking"].get<bool>());
    EXPECT_EQ(link_only["link_only_reason"], "it asks for a file");
}

}  // namespace
}  // namespace calrt::calendly
