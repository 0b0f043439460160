// The service binary in sandbox mode (no keys at all), used as the browser page uses it: a
// WebSocket to /api/realtime, typed messages, the sandbox assistant calling the real tools against
// the built-in fake Calendly, a booking whose signed webhook comes back to the service and is
// announced live in the conversation, and SIGTERM ending the open session with a reason.
#include "calrt/net/websocket_client.hpp"
#include "support/child_process.hpp"
#include "support/io_threads.hpp"
#include "support/realtime_events_reader.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace calrt {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::uint16_t port_from(const std::string& listening_line) {
    const auto at = listening_line.find("port=");
    return static_cast<std::uint16_t>(std::stoi(listening_line.substr(at + 5)));
}

class ServiceRelayProcess : public ::testing::Test {
  protected:
    // Sends `text` as the page does and returns the assistant's answer to it (the text of the
    // response.output_text.done that follows).
    std::string ask(net::WebSocket& browser, const std::string& text) {
        EXPECT_TRUE(io.run(browser.write(test::user_message(text).dump())));
        EXPECT_TRUE(io.run(browser.write(json{{"type", "response.create"}}.dump())));
        if (!test::read_events_until(io, browser, log, test::event_of_type("response.output_text.done"))) return {};
        return log.events.back().value("text", "");
    }

    bool saw_tool_call(const std::string& name) const {
        return std::any_of(log.events.begin(), log.events.end(), [&](const json& event) {
            return event.value("type", "") == "response.output_item.done" &&
                   event["item"].value("type", "") == "function_call" && event["item"].value("name", "") == name;
        });
    }

    test::IoThreads io;
    test::EventLog log;
};

TEST_F(ServiceRelayProcess, SandboxBookingIsConfirmedLiveAndShutdownClosesTheSession) {
    test::TempDir dir;
    test::ChildProcess service(CALRT_BINARY, {"--host", "127.0.0.1"},
                               {{"PORT", "0"},
                                {"DATA_DIR", (dir.path() / "data").string()},
                                {"WEB_ROOT", std::string(CALRT_SOURCE_DIR) + "/web"}},
                               dir.path().string());
    const auto listening = service.wait_for_line("listening");
    ASSERT_TRUE(listening) << service.drain_stderr();
    const auto port = port_from(*listening);

    net::HeaderList headers;
    headers.emplace_back("Origin", "http://127.0.0.1:" + std::to_string(port));  // the page's own origin
    auto connected = io.run(net::connect_websocket(
        io.io.get_executor(), "ws://127.0.0.1:" + std::to_string(port) + "/api/realtime", headers, {}));
    ASSERT_TRUE(connected) << connected.error().message;
    net::WebSocket& browser = *connected;
    // A page for typing: written answers instead of spoken ones.
    json text_answers = {{"type", "session.update"},
                         {"session", {{"type", "realtime"}, {"output_modalities", {"text"}}}}};
    ASSERT_TRUE(io.run(browser.write(text_answers.dump())));

    std::string answer = ask(browser, "What meeting types are there?");
    EXPECT_NE(answer.find("30 Minute Meeting"), std::string::npos) << answer;
    EXPECT_TRUE(saw_tool_call("get_available_meeting_types"));

    answer = ask(browser, "Is the 30 minute meeting available?");
    EXPECT_TRUE(saw_tool_call("check_meeting_availability"));
    const auto say = answer.find("say: \"");
    ASSERT_NE(say, std::string::npos) << answer;
    std::string phrase = answer.substr(say + 6, answer.find('"', say + 6) - say - 6);
    phrase.replace(phrase.find("<your name>"), 11, "Ada Lovelace");
    phrase.replace(phrase.find("<your email>"), 12, "ada@example.com");

    answer = ask(browser, phrase);
    EXPECT_TRUE(saw_tool_call("book_meeting"));
    EXPECT_NE(answer.find("Booked: the 30 Minute Meeting"), std::string::npos) << answer;

    // The fake Calendly delivers the signed invitee.created webhook to the service, which stores
    // it, recognises the email this session used, and has the assistant announce the booking.
    ASSERT_TRUE(test::read_events_until(io, browser, log, [](const json& event) {
        return event.value("type", "") == "conversation.item.added" && event["item"].value("role", "") == "system";
    }));
    ASSERT_TRUE(test::read_events_until(io, browser, log, test::event_of_type("response.output_text.done")));
    const std::string announcement = log.events.back().value("text", "");
    EXPECT_NE(announcement.find("good news"), std::string::npos) << announcement;
    EXPECT_NE(announcement.find("ada@example.com"), std::string::npos) << announcement;

    const auto stopping = std::chrono::steady_clock::now();
    service.signal(SIGTERM);
    EXPECT_FALSE(test::read_events_until(io, browser, log, [](const json&) { return false; }));
    ASSERT_TRUE(browser.peer_close());
    EXPECT_EQ(browser.peer_close()->code, net::close_code::going_away);
    EXPECT_EQ(service.wait_exit(10s), 0);
    // The open session did not hold the exit for the whole shutdown grace period (10 s).
    EXPECT_LT(std::chrono::steady_clock::now() - stopping, 5s);
}

}  // namespace
}  // namespace calrt
