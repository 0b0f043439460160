// The relay's calrt.tool_result event over real sockets: a browser-side WebSocket client -> the
// relay -> the fake Realtime server -> the Calendly tools -> the fake Calendly, and back.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "support/relay_test_fixture.hpp"

namespace calrt::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using calrt::testing::FakeToolCall;
using calrt::testing::FakeTurn;

class RelayToolResultTest : public test::RelayTestFixture {
  protected:
    // Open start times of the 30 minute meeting in the coming week, as book_meeting takes them.
    std::vector<std::string> open_slots() {
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock.now());
        auto slots = io.run(calendly_client->available_times(fake_calendly.event_type_uri("30min"),
                                                             {now + 1h, now + 24h * 7}));
        std::vector<std::string> starts;
        if (slots) {
            for (const auto& slot : *slots) starts.push_back(format_rfc3339(slot.start_time));
        }
        return starts;
    }

    static json booking(const std::string& start, const std::string& name, const std::string& email) {
        return {{"event_type", "30min"}, {"start_time", start}, {"name", name},
                {"email", email},        {"timezone", "Asia/Kolkata"}};
    }

    static std::vector<json> of_type_in(const std::vector<json>& events, const std::string& type) {
        std::vector<json> found;
        for (const auto& event : events) {
            if (event.is_object() && event.value("type", "") == type) found.push_back(event);
        }
        return found;
    }
};

TEST_F(RelayToolResultTest, TheToolsStructuredResultGoesToThePageBeforeTheAnswer) {
    const json arguments = {{"event_type", "30min"}, {"timezone", "Asia/Kolkata"}};
    fake_realtime.on_user_text(
        "times", FakeTurn::calling({FakeToolCall{"check_meeting_availability", arguments}}));
    start();
    auto browser = open();
    say(browser, "Which times are free?");

    ASSERT_TRUE(read_until(browser, of_type("response.output_text.done")));
    const auto results = of_type_in(seen, "calrt.tool_result");
    ASSERT_EQ(results.size(), 1u);
    const json& event = results[0];
    EXPECT_EQ(event["name"], "check_meeting_availability");
    EXPECT_EQ(event["arguments"], arguments);
    const auto announced = of_type_in(seen, "response.function_call_arguments.done");
    ASSERT_EQ(announced.size(), 1u);
    EXPECT_EQ(event["call_id"], announced[0]["call_id"]);
    // The structured result, exactly as the model got it as its function output (unchanged).
    const auto outputs = fake_realtime.function_call_outputs();
    ASSERT_EQ(outputs.size(), 1u);
    EXPECT_EQ(event["result"], json::parse(outputs[0]["output"].get<std::string>()));
    EXPECT_EQ(event["result"]["timezone"], "Asia/Kolkata");
    ASSERT_TRUE(event["result"]["days"].is_array());
    ASSERT_FALSE(event["result"]["days"].empty());
    EXPECT_TRUE(event["result"]["days"][0]["slots"][0].get<std::string>().ends_with("+05:30"));
    // Before the answer that speaks of it, so the page shows the slots as the assistant talks.
    const auto result_at = std::find(seen.begin(), seen.end(), event);
    const auto answer_at = std::find_if(seen.begin(), seen.end(), of_type("response.output_text.done"));
    EXPECT_LT(result_at, answer_at);
}

TEST_F(RelayToolResultTest, AnErrorResultGoesDownTooAndUnreadableArgumentsAreAnEmptyObject) {
    fake_realtime.on_user_text(
        "broken", FakeTurn::calling({FakeToolCall{"book_meeting", json("not an object")}}));
    start();
    auto browser = open();
    say(browser, "broken booking");

    ASSERT_TRUE(read_until(browser, of_type("calrt.tool_result")));
    EXPECT_EQ(seen.back()["name"], "book_meeting");
    EXPECT_EQ(seen.back()["arguments"], json::object());
    EXPECT_TRUE(seen.back()["result"].contains("error")) << seen.back().dump();
    EXPECT_TRUE(fake_calendly.bookings().empty());
}

TEST_F(RelayToolResultTest, TwoConversationsAtOnceEachSeeOnlyTheirOwnResults) {
    start();
    const auto slots = open_slots();
    ASSERT_GE(slots.size(), 2u);
    fake_realtime.on_user_text("ada books", FakeTurn::calling({FakeToolCall{
                                                "book_meeting", booking(slots[0], "Ada Lovelace", "ada@example.com")}}));
    fake_realtime.on_user_text("bob books", FakeTurn::calling({FakeToolCall{
                                                "book_meeting", booking(slots[1], "Bob Byte", "bob@example.com")}}));
    auto ada = open();
    auto bob = open();
    say(ada, "ada books");
    say(bob, "bob books");

    test::EventLog ada_log;
    test::EventLog bob_log;
    ASSERT_TRUE(test::read_events_until(io, ada, ada_log, of_type("response.output_text.done")));
    ASSERT_TRUE(test::read_events_until(io, bob, bob_log, of_type("response.output_text.done")));

    const auto ada_results = of_type_in(ada_log.events, "calrt.tool_result");
    const auto bob_results = of_type_in(bob_log.events, "calrt.tool_result");
    ASSERT_EQ(ada_results.size(), 1u);
    ASSERT_EQ(bob_results.size(), 1u);
    EXPECT_EQ(ada_results[0]["arguments"]["email"], "ada@example.com");
    EXPECT_EQ(ada_results[0]["result"]["booked"], true) << ada_results[0].dump();
    EXPECT_EQ(bob_results[0]["arguments"]["email"], "bob@example.com");
    EXPECT_EQ(bob_results[0]["result"]["booked"], true) << bob_results[0].dump();
    EXPECT_NE(ada_results[0]["result"]["invitee"], bob_results[0]["result"]["invitee"]);
    // Each result answers its own conversation's call (call ids are per upstream session).
    EXPECT_EQ(ada_results[0]["call_id"], of_type_in(ada_log.events, "response.function_call_arguments.done").at(0)["call_id"]);
    EXPECT_EQ(bob_results[0]["call_id"], of_type_in(bob_log.events, "response.function_call_arguments.done").at(0)["call_id"]);
    // Nothing of the other conversation reached either page, in any event.
    for (const auto& text : ada_log.texts) {
        EXPECT_EQ(text.find("bob@example.com"), std::string::npos) << text;
        EXPECT_EQ(text.find(bob_results[0]["result"]["invitee"].get<std::string>()), std::string::npos) << text;
    }
    for (const auto& text : bob_log.texts) {
        EXPECT_EQ(text.find("ada@example.com"), std::string::npos) << text;
        EXPECT_EQ(text.find(ada_results[0]["result"]["invitee"].get<std::string>()), std::string::npos) << text;
    }
    EXPECT_EQ(fake_calendly.bookings().size(), 2u);
}

TEST_F(RelayToolResultTest, ALiveConfirmationGivesThePageTheBookingWithItsLinks) {
    start();
    const auto slots = open_slots();
    ASSERT_FALSE(slots.empty());
    fake_realtime.on_user_text("book", FakeTurn::calling({FakeToolCall{
                                           "book_meeting", booking(slots[0], "Ada Lovelace", "ada@example.com")}}));
    auto browser = open();
    say(browser, "book it");

    ASSERT_TRUE(read_until(browser, of_type("calrt.booking_confirmed")));
    const json confirmed = seen.back();
    // The webhook's confirmation and the tool's result race (the webhook often arrives while
    // book_meeting is still running): either may reach the page first.
    if (of_type_in(seen, "calrt.tool_result").empty()) {
        ASSERT_TRUE(read_until(browser, of_type("calrt.tool_result")));
    }
    const auto results = of_type_in(seen, "calrt.tool_result");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(confirmed["invitee"], results[0]["result"]["invitee"]);
    EXPECT_EQ(confirmed["event_name"], "30 Minute Meeting");
    EXPECT_EQ(confirmed["timezone"], "Asia/Kolkata");
    EXPECT_EQ(confirmed["cancel_url"], results[0]["result"]["cancel_url"]);
    EXPECT_EQ(confirmed["reschedule_url"], results[0]["result"]["reschedule_url"]);
    const auto start_time = parse_rfc3339(confirmed["start_time"].get<std::string>());
    const auto end_time = parse_rfc3339(confirmed["end_time"].get<std::string>());
    ASSERT_TRUE(start_time && end_time) << confirmed.dump();
    EXPECT_EQ(*start_time, *parse_rfc3339(slots[0]));
    EXPECT_EQ(*end_time - *start_time, std::chrono::minutes(30));
    EXPECT_TRUE(confirmed["location"].is_object()) << confirmed.dump();
}

TEST_F(RelayToolResultTest, ARefusedBookingNeverHearsOfAnotherPersonsBookingOfThatSlot) {
    // Review N4: a conversation tried the slot for someone's email and Calendly refused; when that
    // person books the slot themselves, this conversation must not receive their links.
    start();
    const auto slots = open_slots();
    ASSERT_GE(slots.size(), 2u);
    fake_calendly.inject("/invitees", calrt::testing::FaultPlan::error(400, 1));
    fake_realtime.on_user_text("first", FakeTurn::calling({FakeToolCall{
                                            "book_meeting", booking(slots[0], "Victim", "victim@example.com")}}));
    fake_realtime.on_user_text("second", FakeTurn::calling({FakeToolCall{
                                             "book_meeting", booking(slots[1], "Ada Lovelace", "ada@example.com")}}));
    auto browser = open();
    say(browser, "first");
    ASSERT_TRUE(read_until(browser, of_type("calrt.tool_result")));
    ASSERT_TRUE(seen.back()["result"].contains("error")) << seen.back().dump();

    // The person books that slot on their own (Calendly's page); its webhook reaches the service.
    const auto start_time = parse_rfc3339(slots[0]);
    ASSERT_TRUE(start_time);
    auto theirs = io.run(calendly_client->create_invitee({fake_calendly.event_type_uri("30min"), *start_time,
                                                          "Victim", "victim@example.com", "UTC",
                                                          calendly::InviteeLocation{"google_conference", std::nullopt}}));
    ASSERT_TRUE(theirs) << theirs.error().message;

    // Deliveries reach a conversation in the order they were stored: once this conversation's own
    // booking is confirmed, the earlier one has been looked at and passed over.
    say(browser, "second");
    ASSERT_TRUE(read_until(browser, of_type("calrt.booking_confirmed")));
    const auto confirmations = of_type_in(seen, "calrt.booking_confirmed");
    ASSERT_EQ(confirmations.size(), 1u);
    EXPECT_NE(confirmations[0]["invitee"], theirs->uri);
    EXPECT_EQ(confirmations[0]["cancel_url"].get<std::string>().find(theirs->cancel_url.value_or("?")), std::string::npos);
}

}  // namespace
}  // namespace calrt::server
