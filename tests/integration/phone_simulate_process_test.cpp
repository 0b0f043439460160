// `calendly-realtime phone simulate` as a host uses it: the binary, its standard input fed line by
// line as what the caller says, its output read as it streams. Everything runs inside the child on
// loopback: the service's phone and Calendly webhook routes, the sandbox's fake OpenAI offering the
// call and playing the caller, and the fake Calendly.
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

namespace calrt {
namespace {

using namespace std::chrono_literals;

// Nothing inherited, so no stray key or database reaches the child.
std::map<std::string, std::string> simulate_environment() { return {{"LOG_LEVEL", "warn"}}; }

TEST(PhoneSimulateProcess, SandboxCallIsAcceptedAnswersTheCallerAndEndsWhenTheCallerHangsUp) {
    test::TempDir dir;
    test::ChildProcess phone(CALRT_BINARY, {"phone", "simulate", "--sandbox"}, simulate_environment(),
                             dir.path().string(), /*pipe_stdin=*/true);
    ASSERT_TRUE(phone.wait_for_line("Calling the sandbox assistant from +14155550123"));
    ASSERT_TRUE(phone.wait_for_line("ringing"));
    ASSERT_TRUE(phone.wait_for_line("accepted"));
    const auto greeting = phone.wait_for_line("assistant> ");
    ASSERT_TRUE(greeting);
    EXPECT_NE(greeting->find("How can I help?"), std::string::npos) << *greeting;

    phone.write_stdin("what meeting types do you have?\n");
    ASSERT_TRUE(phone.wait_for_line("[tool] get_available_meeting_types"));
    const auto answer = phone.wait_for_line("assistant> ");
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->find("30 Minute Meeting"), std::string::npos) << *answer;

    phone.write_stdin("/hangup\n");
    EXPECT_TRUE(phone.wait_for_line("hung up (the caller hung up)"));
    EXPECT_EQ(phone.wait_exit(15s), 0);
}

// The sandbox Calendly's invitee.created for a booking made in the call reaches the service's
// webhook route, and through its store the call, which confirms the booking to the caller.
TEST(PhoneSimulateProcess, BookingMadeInTheCallIsConfirmedInTheCall) {
    test::TempDir dir;
    test::ChildProcess phone(CALRT_BINARY, {"phone", "simulate", "--sandbox"}, simulate_environment(),
                             dir.path().string(), true);
    ASSERT_TRUE(phone.wait_for_line("accepted"));
    ASSERT_TRUE(phone.wait_for_line("assistant> "));

    phone.write_stdin("Is the 30 minute meeting available?\n");
    ASSERT_TRUE(phone.wait_for_line("[tool] check_meeting_availability"));
    auto answer = phone.wait_for_line("assistant> ");
    ASSERT_TRUE(answer);
    // The sandbox says how to book its first open time; the caller says that phrase.
    const auto say = answer->find("say: \"");
    ASSERT_NE(say, std::string::npos) << *answer;
    const auto phrase_start = say + 6;
    std::string phrase = answer->substr(phrase_start, answer->find('"', phrase_start) - phrase_start);
    phrase.replace(phrase.find("<your name>"), 11, "Ada Lovelace");
    phrase.replace(phrase.find("<your email>"), 12, "ada@example.com");

    phone.write_stdin(phrase + "\n");
    ASSERT_TRUE(phone.wait_for_line("[tool] book_meeting"));
    answer = phone.wait_for_line("assistant> ");
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->find("Booked: the 30 Minute Meeting"), std::string::npos) << *answer;
    answer = phone.wait_for_line("assistant> ");
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->find("Calendly has just confirmed the booking"), std::string::npos) << *answer;

    phone.write_stdin("/hangup\n");
    EXPECT_TRUE(phone.wait_for_line("hung up (the caller hung up)"));
    EXPECT_EQ(phone.wait_exit(15s), 0);
}

TEST(PhoneSimulateProcess, GoodbyeLetsTheAssistantEndTheCall) {
    test::TempDir dir;
    test::ChildProcess phone(CALRT_BINARY, {"phone", "simulate", "--sandbox"}, simulate_environment(),
                             dir.path().string(), true);
    ASSERT_TRUE(phone.wait_for_line("accepted"));
    ASSERT_TRUE(phone.wait_for_line("assistant> "));
    phone.write_stdin("thanks, goodbye\n");
    ASSERT_TRUE(phone.wait_for_line("[tool] end_call"));
    const auto goodbye = phone.wait_for_line("assistant> ");
    ASSERT_TRUE(goodbye);
    EXPECT_NE(goodbye->find("goodbye"), std::string::npos) << *goodbye;
    // Standard input stays open: the call's end at the other side ends the command.
    EXPECT_TRUE(phone.wait_for_line("hung up (the assistant ended the call)"));
    EXPECT_EQ(phone.wait_exit(15s), 0);
}

TEST(PhoneSimulateProcess, AskingForAPersonTransfersTheCallToTheHandoffUri) {
    test::TempDir dir;
    test::ChildProcess phone(CALRT_BINARY,
                             {"phone", "simulate", "--sandbox", "--phone-handoff-uri", "tel:+14155550100"},
                             simulate_environment(), dir.path().string(), true);
    ASSERT_TRUE(phone.wait_for_line("accepted"));
    ASSERT_TRUE(phone.wait_for_line("assistant> "));
    phone.write_stdin("can I talk to a human please?\n");
    ASSERT_TRUE(phone.wait_for_line("[tool] transfer_to_human"));
    EXPECT_TRUE(phone.wait_for_line("transferred to tel:+14155550100 (the caller asked for a person)", 30s));
    EXPECT_EQ(phone.wait_exit(15s), 0);
}

// The simulation's webhook stores: directories under TMPDIR named after the command.
std::size_t simulation_stores_in(const std::filesystem::path& temp) {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(temp)) {
        if (entry.path().filename().string().starts_with("calendly-realtime-phone-")) ++count;
    }
    return count;
}

TEST(PhoneSimulateProcess, EndOfInputHangsUpAndTheTemporaryStoreIsRemoved) {
    test::TempDir dir;
    auto environment = simulate_environment();
    environment.emplace("TMPDIR", dir.path().string());
    test::ChildProcess phone(CALRT_BINARY, {"phone", "simulate", "--sandbox"}, environment, dir.path().string(),
                             true);
    ASSERT_TRUE(phone.wait_for_line("accepted"));
    EXPECT_EQ(simulation_stores_in(dir.path()), 1u);
    phone.close_stdin();
    EXPECT_TRUE(phone.wait_for_line("hung up (the caller hung up)"));
    EXPECT_EQ(phone.wait_exit(15s), 0);
    EXPECT_EQ(simulation_stores_in(dir.path()), 0u);
}

TEST(PhoneSimulateProcess, InterruptEndsTheSimulationWith130AndRemovesItsStore) {
    test::TempDir dir;
    auto environment = simulate_environment();
    environment.emplace("TMPDIR", dir.path().string());
    test::ChildProcess phone(CALRT_BINARY, {"phone", "simulate", "--sandbox"}, environment, dir.path().string(),
                             true);
    ASSERT_TRUE(phone.wait_for_line("accepted"));
    EXPECT_EQ(simulation_stores_in(dir.path()), 1u);
    phone.signal(SIGINT);
    EXPECT_TRUE(phone.wait_for_line("interrupted: the caller hangs up"));
    EXPECT_TRUE(phone.wait_for_line("hung up (the caller hung up)"));
    EXPECT_EQ(phone.wait_exit(15s), 130);
    EXPECT_EQ(simulation_stores_in(dir.path()), 0u);
}

TEST(PhoneSimulateProcess, CallFromABlockedNumberIsRejectedAndExitsOne) {
    test::TempDir dir;
    test::ChildProcess phone(
        CALRT_BINARY,
        {"phone", "simulate", "--sandbox", "--from", "+14155550123", "--phone-blocked-numbers", "+1415*"},
        simulate_environment(), dir.path().string(), true);
    ASSERT_TRUE(phone.wait_for_line("ringing"));
    const auto rejected = phone.wait_for_line("rejected (");
    ASSERT_TRUE(rejected);
    EXPECT_NE(rejected->find("603 Decline"), std::string::npos) << *rejected;
    EXPECT_NE(rejected->find("PHONE_BLOCKED_NUMBERS"), std::string::npos) << *rejected;
    EXPECT_EQ(phone.wait_exit(15s), 1);
}

TEST(PhoneSimulateProcess, WithAnOpenAiKeySaysItUsesTheSandboxAssistantAndNeverTheKey) {
    test::TempDir dir;
    auto environment = simulate_environment();
    environment.emplace("OPENAI_API_KEY", "sk-never-used-by-simulate");
    // Unreachable: a call placed to OpenAI would fail rather than pass by accident.
    environment.emplace("OPENAI_REALTIME_URL", "ws://127.0.0.1:9/v1/realtime");
    environment.emplace("OPENAI_API_BASE_URL", "http://127.0.0.1:9/v1");
    test::ChildProcess phone(CALRT_BINARY, {"phone", "simulate"}, environment, dir.path().string(), true);
    ASSERT_TRUE(phone.wait_for_line("phone simulate uses the sandbox assistant, not OpenAI"));
    ASSERT_TRUE(phone.wait_for_line("accepted"));
    phone.close_stdin();
    EXPECT_EQ(phone.wait_exit(15s), 0);
    EXPECT_EQ(phone.drain_stderr().find("sk-never-used-by-simulate"), std::string::npos);
}

TEST(PhoneSimulateProcess, FromMustBeAPhoneNumber) {
    test::TempDir dir;
    test::ChildProcess phone(CALRT_BINARY, {"phone", "simulate", "--from", "ada"}, simulate_environment(),
                             dir.path().string(), true);
    EXPECT_TRUE(phone.wait_for_line("--from takes a phone number"));
    EXPECT_EQ(phone.wait_exit(10s), 2);
}

}  // namespace
}  // namespace calrt
