// How organization mode names teams (?team=) and who hosts a type (the assistant's words).
#include <gtest/gtest.h>

#include "calrt/calendly/organization_directory.hpp"
#include "tools/event_type_choice.hpp"

namespace calrt {
namespace {

TEST(TeamSlug, LowercasesAndJoinsWordsWithDashes) {
    EXPECT_EQ(calendly::team_slug("Sales"), "sales");
    EXPECT_EQ(calendly::team_slug("Customer Success"), "customer-success");
    EXPECT_EQ(calendly::team_slug("  R&D / EMEA  "), "r-d-emea");
    EXPECT_EQ(calendly::team_slug("Team 42"), "team-42");
    EXPECT_EQ(calendly::team_slug(""), "");
}

calendly::EventType type_with(std::vector<std::string> hosts, std::optional<std::string> pooling) {
    calendly::EventType type;
    type.name = "Sales demo";
    type.pooling_type = std::move(pooling);
    type.host_names = std::move(hosts);
    return type;
}

TEST(HostsText, SaysOneOfARoundRobinAndAllOfACollective) {
    EXPECT_EQ(tools::hosts_text(type_with({}, std::nullopt)), "");
    EXPECT_EQ(tools::labelled_name(type_with({}, std::nullopt)), "Sales demo");
    EXPECT_EQ(tools::labelled_name(type_with({"Dana"}, std::nullopt)), "Sales demo with Dana");
    EXPECT_EQ(tools::hosts_text(type_with({"Dana", "Priya", "Marcus"}, "round_robin")), "Dana, Priya or Marcus");
    EXPECT_EQ(tools::hosts_text(type_with({"Alex", "Dana", "Priya"}, "collective")), "Alex, Dana and Priya");
}

TEST(FindEventType, TellsTypesOfTheSameNameApartByTheirHost) {
    auto danas = type_with({"Dana Whitfield"}, std::nullopt);
    danas.name = "30 Minute Meeting";
    danas.uri = "https://api.calendly.com/event_types/DANA";
    auto priyas = danas;
    priyas.host_names = {"Priya Natarajan"};
    priyas.uri = "https://api.calendly.com/event_types/PRIYA";
    const std::vector<calendly::EventType> types{danas, priyas};
    ASSERT_NE(tools::find_event_type(types, "30 minute meeting with priya natarajan"), nullptr);
    EXPECT_EQ(tools::find_event_type(types, "30 minute meeting with priya natarajan")->uri, priyas.uri);
    EXPECT_EQ(tools::find_event_type(types, "30 Minute Meeting with Dana Whitfield")->uri, danas.uri);
    // The bare name is ambiguous: the first, as before organization mode.
    EXPECT_EQ(tools::find_event_type(types, "30 Minute Meeting")->uri, danas.uri);
}

}  // namespace
}  // namespace calrt
