// `calendly-realtime chat` as a person uses it: the binary, its standard input fed line by line,
// its output read as it streams. Against the built-in sandbox (fake Calendly + sandbox assistant)
// and against a fake Realtime server standing in for OpenAI.
#include "support/child_process.hpp"
#include "support/io_threads.hpp"
#include "support/temp_dir.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

namespace calrt {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The chat's environment: nothing inherited, so no stray key turns the sandbox off.
std::map<std::string, std::string> chat_environment(std::map<std::string, std::string> extra = {}) {
    extra.emplace("LOG_LEVEL", "warn");
    return extra;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

TEST(ChatProcess, SandboxConversationUsesEveryTool) {
    test::TempDir dir;
    test::ChildProcess chat(CALRT_BINARY, {"chat", "--sandbox"}, chat_environment(), dir.path().string(),
                            /*pipe_stdin=*/true);
    ASSERT_TRUE(chat.wait_for_line("Chatting with the sandbox assistant"));

    chat.write_stdin("What meeting types are there?\n");
    ASSERT_TRUE(chat.wait_for_line("[tool] looking up the meeting types"));
    auto answer = chat.wait_for_line("assistant> ");
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->find("30 Minute Meeting"), std::string::npos) << *answer;

    chat.write_stdin("Is the 30 minute meeting available?\n");
    ASSERT_TRUE(chat.wait_for_line("[tool] checking availability"));
    answer = chat.wait_for_line("assistant> ");
    ASSERT_TRUE(answer);
    // The sandbox says how to book its first open time; the person copies that phrase.
    const auto say = answer->find("say: \"");
    ASSERT_NE(say, std::string::npos) << *answer;
    const auto phrase_start = say + 6;
    const std::string phrase = answer->substr(phrase_start, answer->find('"', phrase_start) - phrase_start);
    EXPECT_NE(phrase.find("Book a 30 Minute Meeting at "), std::string::npos) << phrase;

    chat.write_stdin(replaced(replaced(phrase, "<your name>", "Ada Lovelace"), "<your email>", "ada@example.com") +
                     "\n");
    ASSERT_TRUE(chat.wait_for_line("[tool] booking the meeting"));
    ASSERT_TRUE(chat.wait_for_line("[tool] book_meeting done"));
    answer = chat.wait_for_line("assistant> ");
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->find("Booked: the 30 Minute Meeting"), std::string::npos) << *answer;
    EXPECT_NE(answer->find("ada@example.com"), std::string::npos) << *answer;

    chat.write_stdin("Schedule a call, my name is Grace Hopper, grace@example.com\n");
    ASSERT_TRUE(chat.wait_for_line("[tool] creating a booking link"));
    answer = chat.wait_for_line("assistant> ");
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->find("name=Grace%20Hopper"), std::string::npos) << *answer;

    chat.close_stdin();
    EXPECT_EQ(chat.wait_exit(10s), 0);
}

TEST(ChatProcess, QuitEndsTheChat) {
    test::TempDir dir;
    test::ChildProcess chat(CALRT_BINARY, {"chat", "--sandbox"}, chat_environment(), dir.path().string(), true);
    ASSERT_TRUE(chat.wait_for_line("Chatting with"));
    chat.write_stdin("/quit\n");  // standard input stays open: the command itself ends the chat
    EXPECT_EQ(chat.wait_exit(10s), 0);
}

TEST(ChatProcess, TalksToTheConfiguredRealtimeServerWithItsKeyAndTools) {
    test::IoThreads io;
    calrt::testing::FakeRealtime openai(io.io, calrt::testing::FakeRealtimeOptions{.api_key = "sk-chat-test-key"});
    openai.start();
    openai.on_user_text("hello", calrt::testing::FakeTurn::saying("Hello from the model."));
    test::TempDir dir;
    test::ChildProcess chat(CALRT_BINARY, {"chat"},
                            chat_environment({{"OPENAI_API_KEY", "sk-chat-test-key"},
                                              {"OPENAI_REALTIME_URL", openai.url()},
                                              {"OPENAI_REALTIME_MODEL", "gpt-realtime-test"}}),
                            dir.path().string(), true);
    ASSERT_TRUE(chat.wait_for_line("Chatting with OpenAI Realtime (gpt-realtime-test)"));
    chat.write_stdin("hello there\n");
    auto answer = chat.wait_for_line("assistant> ");
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->find("Hello from the model."), std::string::npos) << *answer;
    chat.close_stdin();
    EXPECT_EQ(chat.wait_exit(10s), 0);

    EXPECT_EQ(openai.last_model(), "gpt-realtime-test");
    const auto updates = openai.session_updates();
    ASSERT_FALSE(updates.empty());
    EXPECT_EQ(updates[0]["tools"].size(), 4u);
    EXPECT_EQ(updates[0]["output_modalities"], json::array({"text"}));
    EXPECT_NE(updates[0]["instructions"].get<std::string>().find("Alex Rivera"), std::string::npos);
    EXPECT_EQ(chat.drain_stderr().find("sk-chat-test-key"), std::string::npos);
    io.stop();
}

TEST(ChatProcess, UnreachableAssistantExitsWithAReasonAndNoKey) {
    std::uint16_t closed_port = 0;
    {
        boost::asio::io_context probe;
        boost::asio::ip::tcp::acceptor acceptor(probe, {boost::asio::ip::make_address("127.0.0.1"), 0});
        closed_port = acceptor.local_endpoint().port();
    }
    test::TempDir dir;
    test::ChildProcess chat(
        CALRT_BINARY, {"chat"},
        chat_environment({{"OPENAI_API_KEY", "sk-never-shown-key"},
                          {"OPENAI_REALTIME_URL", "ws://127.0.0.1:" + std::to_string(closed_port) + "/v1/realtime"}}),
        dir.path().string(), true);
    EXPECT_EQ(chat.wait_exit(20s), 1);
    const std::string output = chat.drain_stderr();
    EXPECT_NE(output.find("cannot reach the assistant"), std::string::npos) << output;
    EXPECT_EQ(output.find("sk-never-shown-key"), std::string::npos) << output;
}

}  // namespace
}  // namespace calrt
