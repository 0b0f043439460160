// The fake Realtime server's sandbox assistant: plain phrases to tool calls, and a clear sandbox
// disclaimer.
#include "testing/fake_realtime/sandbox_assistant.hpp"

#include <gtest/gtest.h>

#include "calrt/realtime/assistant_instructions.hpp"
#include "testing/fake_realtime/response_streamer.hpp"

namespace calrt::testing {
namespace {

using nlohmann::json;

FakeToolCall only_call(const FakeTurn& turn) {
    EXPECT_EQ(turn.calls.size(), 1u);
    return turn.calls.empty() ? FakeToolCall{} : turn.calls.front();
}

TEST(SandboxAssistant, MeetingTypesQuestionListsMeetingTypes) {
    const auto call =
        only_call(sandbox_turn("What meeting types do you have? Are they available?"));
    EXPECT_EQ(call.name, "get_available_meeting_types");
    EXPECT_EQ(call.arguments, json::object());
}

TEST(SandboxAssistant, SelfServiceSendsACodeChecksItAndListsTheBookingsOfTheLatestEmail) {
    const auto send = only_call(sandbox_turn("Manage my booking, ada@example.com"));
    EXPECT_EQ(send.name, "send_verification_code");
    EXPECT_EQ(send.arguments, (json{{"email", "ada@example.com"}}));
    const std::vector<std::string> earlier{"Manage my booking, ada@example.com"};
    const auto check = only_call(sandbox_turn("My code is 042917", earlier));
    EXPECT_EQ(check.name, "check_verification_code");
    EXPECT_EQ(check.arguments, (json{{"email", "ada@example.com"}, {"code", "042917"}}));
    const auto find = only_call(sandbox_turn("Show my bookings", earlier));
    EXPECT_EQ(find.name, "find_my_bookings");
    EXPECT_EQ(find.arguments, (json{{"email", "ada@example.com"}}));
}

constexpr const char* kEvent = "http://127.0.0.1:9/scheduled_events/EV1";

TEST(SandboxAssistant, CancelRequestAsksFirstAndCancelsOnlyWithTheYes) {
    const std::vector<std::string> earlier{"Manage my booking, ada@example.com", "My code is 042917"};
    const auto ask = only_call(sandbox_turn("Please cancel my booking id EV1.", earlier));
    EXPECT_EQ(ask.name, "cancel_booking");
    EXPECT_EQ(ask.arguments, (json{{"email", "ada@example.com"}, {"event", "EV1"}}));

    // The page's button, after its own confirmation: the yes is in the message.
    const auto page = only_call(sandbox_turn(
        std::string("Yes, cancel my booking id EV1 (the 30 Minute Meeting). I confirm. Event: ") + kEvent, earlier));
    EXPECT_EQ(page.arguments, (json{{"email", "ada@example.com"}, {"event", "EV1"}, {"confirmed", true}}));

    // A bare yes confirms the request just read back.
    auto later = earlier;
    later.push_back("Please cancel my booking id EV1.");
    const auto yes = only_call(sandbox_turn("Yes", later));
    EXPECT_EQ(yes.name, "cancel_booking");
    EXPECT_EQ(yes.arguments, (json{{"email", "ada@example.com"}, {"event", "EV1"}, {"confirmed", true}}));
}

TEST(SandboxAssistant, MoveRequestAsksForOpenTimesThenMovesOnlyWithTheYes) {
    const std::vector<std::string> earlier{"Manage my booking, ada@example.com"};
    const auto times = only_call(sandbox_turn(
        "I want to move my booking id EV1. Which times are available for the 30 Minute Meeting? My time zone is "
        "Asia/Kolkata.",
        earlier, "Europe/Berlin"));
    EXPECT_EQ(times.name, "check_meeting_availability");
    EXPECT_EQ(times.arguments, (json{{"event_type", "30 Minute Meeting"}, {"timezone", "Asia/Kolkata"}}));

    const auto ask = only_call(sandbox_turn(std::string("Reschedule ") + kEvent + " to 2030-01-31T10:00:00Z", earlier));
    EXPECT_EQ(ask.name, "reschedule_booking");
    EXPECT_EQ(ask.arguments,
              (json{{"email", "ada@example.com"}, {"event", kEvent}, {"new_start_time", "2030-01-31T10:00:00Z"}}));

    const auto yes = only_call(sandbox_turn(
        "Yes, move my booking id EV1 to 2030-01-31T10:00:00Z (Friday 10 AM). I confirm.", earlier));
    EXPECT_EQ(yes.arguments, (json{{"email", "ada@example.com"},
                                   {"event", "EV1"},
                                   {"new_start_time", "2030-01-31T10:00:00Z"},
                                   {"confirmed", true}}));
}

TEST(SandboxAssistant, BookingChangeWithoutAnEmailAsksToProveOneAndCallsNothing) {
    const auto turn = sandbox_turn("Cancel my booking id EV1");
    EXPECT_TRUE(turn.calls.empty());
    EXPECT_NE(turn.answer({}).find("Manage my booking"), std::string::npos);
}

TEST(SandboxAssistant, AConfirmationQuestionIsReadBackInPlainWords) {
    const auto turn = sandbox_turn("Cancel my booking id EV1", {"Manage my booking, ada@example.com"});
    const json output{{"confirmation_needed", true},
                      {"message", "Nothing is cancelled yet. Ask: cancel the 30 Minute Meeting on Friday, January 31 "
                                  "at 10:00 AM? Call cancel_booking again with confirmed true only if the person "
                                  "says yes."}};
    const std::string answer = turn.answer({output});
    EXPECT_NE(answer.find("Cancel the 30 Minute Meeting on Friday, January 31 at 10:00 AM? Say \"yes\""),
              std::string::npos)
        << answer;
    EXPECT_EQ(answer.find("confirmed true"), std::string::npos) << answer;
}

TEST(SandboxAssistant, AvailabilityQuestionChecksAvailabilityWithDateAndTimezone) {
    const auto call =
        only_call(sandbox_turn("Is anything available on 2030-01-31 in Europe/Berlin?"));
    EXPECT_EQ(call.name, "check_meeting_availability");
    EXPECT_EQ(call.arguments, (json{{"start_date", "2030-01-31"}, {"timezone", "Europe/Berlin"}}));
}

TEST(SandboxAssistant, AvailabilityQuestionPassesTheMeetingTypeItNames) {
    EXPECT_EQ(only_call(sandbox_turn("Is the 30 minute meeting available on 2030-01-31?")).arguments,
              (json{{"event_type", "30 minute meeting"}, {"start_date", "2030-01-31"}}));
    EXPECT_EQ(only_call(sandbox_turn("What is your availability for the Intro Call next week?"))
                  .arguments,
              (json{{"event_type", "Intro Call"}}));
    EXPECT_EQ(only_call(sandbox_turn("Is there anything available?")).arguments, json::object());
}

TEST(SandboxAssistant, AvailabilityAndBookingUseThePersonsZoneUnlessTheTextNamesAnother) {
    EXPECT_EQ(only_call(sandbox_turn("Is the 30 minute meeting available?", {}, "Asia/Kolkata"))
                  .arguments,
              (json{{"event_type", "30 minute meeting"}, {"timezone", "Asia/Kolkata"}}));
    EXPECT_EQ(only_call(sandbox_turn("Is anything available in Europe/Berlin?", {}, "Asia/Kolkata"))
                  .arguments,
              (json{{"timezone", "Europe/Berlin"}}));
    const auto booking = only_call(sandbox_turn(
        "Book a 30 minute meeting at 2030-01-31T15:00:00Z, I'm Ada Lovelace, ada@example.com", {},
        "Asia/Kolkata"));
    EXPECT_EQ(booking.arguments.value("timezone", ""), "Asia/Kolkata");
}

TEST(SandboxAssistant, FindsThePersonsZoneInTheRelaysInstructions) {
    const Timestamp now{std::chrono::sys_days{std::chrono::year{2030} / 1 / 31}};
    EXPECT_EQ(person_time_zone_in(realtime::assistant_instructions("Alex", now, "Asia/Kolkata")),
              "Asia/Kolkata");
    EXPECT_EQ(person_time_zone_in(realtime::assistant_instructions("Alex", now, "Etc/GMT+5")),
              "Etc/GMT+5");
    EXPECT_EQ(person_time_zone_in(realtime::assistant_instructions("Alex", now, "")), "");
    EXPECT_EQ(person_time_zone_in(""), "");
}

TEST(SandboxAssistant, ScheduleRequestSendsNameAndEmailFound) {
    const auto call =
        only_call(sandbox_turn("Please schedule a call. My name is Ada Lovelace, ada@example.com"));
    EXPECT_EQ(call.name, "schedule_call");
    EXPECT_EQ(call.arguments, (json{{"name", "Ada Lovelace"}, {"email", "ada@example.com"}}));
}

TEST(SandboxAssistant, ScheduleRequestWithoutDetailsLeavesThemOut) {
    EXPECT_EQ(only_call(sandbox_turn("schedule something")).arguments, json::object());
}

TEST(SandboxAssistant, BookRequestSendsEverythingItFinds) {
    const auto call =
        only_call(sandbox_turn("Book me a 30 minute meeting at 2030-01-31T15:00:00Z, I'm Ada "
                               "Lovelace, ada@example.com, Europe/London"));
    EXPECT_EQ(call.name, "book_meeting");
    EXPECT_EQ(call.arguments, (json{{"event_type", "30 minute meeting"},
                                    {"start_time", "2030-01-31T15:00:00Z"},
                                    {"name", "Ada Lovelace"},
                                    {"email", "ada@example.com"},
                                    {"timezone", "Europe/London"}}));
}

// What the chat page's slot button sends (web/tool_results.js).
constexpr const char* kSlotButtonText =
    "Please book the 30 Minute Meeting at 2030-01-31T20:30:00+05:30 (my time zone is "
    "Asia/Kolkata).";

TEST(SandboxAssistant, BookRequestWithoutNameAndEmailAsksForThemAndCallsNothing) {
    const auto turn = sandbox_turn(kSlotButtonText);
    EXPECT_TRUE(turn.calls.empty());
    const std::string answer = turn.answer({});
    EXPECT_NE(answer.find("30 Minute Meeting at 2030-01-31T20:30:00+05:30 (Asia/Kolkata)"),
              std::string::npos) << answer;
    EXPECT_NE(answer.find("name and email"), std::string::npos) << answer;
}

TEST(SandboxAssistant, NameAndEmailCompleteTheLatestBookingRequest) {
    const std::vector<std::string> earlier = {
        "Please book the 15 Minute Meeting at 2030-01-30T10:00:00Z (my time zone is UTC/Nowhere).",
        "Is anything available?", kSlotButtonText};
    const auto call = only_call(sandbox_turn("My name is Ada Lovelace, ada@example.com", earlier));
    EXPECT_EQ(call.name, "book_meeting");
    EXPECT_EQ(call.arguments, (json{{"event_type", "30 Minute Meeting"},
                                    {"start_time", "2030-01-31T20:30:00+05:30"},
                                    {"name", "Ada Lovelace"},
                                    {"email", "ada@example.com"},
                                    {"timezone", "Asia/Kolkata"}}));
}

TEST(SandboxAssistant, ANameAndEmailWithoutABookingRequestGetHelp) {
    EXPECT_TRUE(sandbox_turn("My name is Ada Lovelace, ada@example.com").calls.empty());
}

TEST(SandboxAssistant, AnswersWithTheToolMessageOrItsError) {
    const auto turn = sandbox_turn("what meeting types are there");
    const std::string ok = turn.answer({json{{"message", "There is one: Intro call (30 min)."}}});
    EXPECT_NE(ok.find("Sandbox"), std::string::npos);
    EXPECT_NE(ok.find("Intro call"), std::string::npos);
    const std::string failed =
        turn.answer({json{{"error", {{"code", "x"}, {"message", "Calendly is down"}}}}});
    EXPECT_NE(failed.find("Calendly is down"), std::string::npos);
}

TEST(SandboxAssistant, AnythingElseGetsHelpSayingItIsASandbox) {
    const auto turn = sandbox_turn("hello there");
    EXPECT_TRUE(turn.calls.empty());
    const std::string help = turn.answer({});
    EXPECT_NE(help.find("Sandbox"), std::string::npos);
    EXPECT_NE(help.find("not a real AI"), std::string::npos);
    EXPECT_NE(sandbox_audio_notice().find("cannot hear audio"), std::string::npos);
}

TEST(ResponseStreamerPieces, SplitsWithoutBreakingCharacters) {
    const std::string text = "Grüße aus Köln";
    const auto pieces = split_into_pieces(text, 4);
    EXPECT_GT(pieces.size(), 1u);
    std::string joined;
    for (const auto& piece : pieces) {
        ASSERT_FALSE(piece.empty());
        EXPECT_NE(static_cast<unsigned char>(piece.front()) & 0xC0, 0x80) << piece;
        joined += piece;
    }
    EXPECT_EQ(joined, text);
}

TEST(SandboxAssistant, SystemNoteIsAnsweredWithItsFirstSentence) {
    const std::string answer = sandbox_note_answer(
        "Calendly has just confirmed the booking of \"Intro\" starting 2030-01-31T10:30:00+00:00 "
        "for ada@example.com. Tell the person now, briefly.");
    EXPECT_NE(answer.find("Sandbox assistant"), std::string::npos) << answer;
    EXPECT_NE(answer.find("confirmed the booking of \"Intro\" starting 2030-01-31T10:30:00+00:00 "
                          "for ada@example.com."),
              std::string::npos)
        << answer;
    EXPECT_EQ(answer.find("Tell the person"), std::string::npos) << answer;
}

}  // namespace
}  // namespace calrt::testing
