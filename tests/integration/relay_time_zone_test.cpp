// The person's time zone on the relay's upgrade URL (GET /api/realtime?tz=…), over real sockets:
// it reaches the assistant's instructions, the sandbox assistant says times in it, and a zone the
// server does not know is refused.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "calrt/net/websocket_client.hpp"
#include "support/http_test_client.hpp"
#include "support/relay_test_fixture.hpp"
#include "support/running_server.hpp"

namespace calrt::server {
namespace {

using namespace std::chrono_literals;

class RelayTimeZoneTest : public test::RelayTestFixture {
  protected:
    Result<net::WebSocket> connect_with(const std::string& query) {
        net::WebSocketOptions options;
        options.idle_timeout = 5s;
        return io.run(net::connect_websocket(io.io.get_executor(), relay_url() + query, {}, options));
    }
};

TEST_F(RelayTimeZoneTest, TheBrowsersZoneGoesIntoTheAssistantsInstructions) {
    start();
    auto browser = connect_with("?tz=Asia/Kolkata");
    ASSERT_TRUE(browser) << browser.error().message;
    ASSERT_TRUE(test::wait_until([&] { return fake_realtime.session_updates().size() == 1; }));
    const std::string instructions = fake_realtime.session_updates()[0]["instructions"];
    EXPECT_NE(instructions.find("the person's time zone is Asia/Kolkata"), std::string::npos)
        << instructions;
    EXPECT_EQ(instructions.find("ask for the person's time zone"), std::string::npos) << instructions;
}

TEST_F(RelayTimeZoneTest, WithoutAZoneTheAssistantAsksForIt) {
    start();
    auto browser = connect_with("");
    ASSERT_TRUE(browser) << browser.error().message;
    ASSERT_TRUE(test::wait_until([&] { return fake_realtime.session_updates().size() == 1; }));
    const std::string instructions = fake_realtime.session_updates()[0]["instructions"];
    EXPECT_NE(instructions.find("ask for the person's time zone"), std::string::npos) << instructions;
}

// The sandbox assistant (fake Realtime with sandbox on), as `calendly-realtime` runs without keys.
class SandboxRelayTimeZoneTest : public test::RelayTestFixture {
  protected:
    SandboxRelayTimeZoneTest() : RelayTestFixture(calrt::testing::FakeRealtimeOptions{.sandbox = true}) {}
};

TEST_F(SandboxRelayTimeZoneTest, TheSandboxAssistantSaysTimesInThePersonsZoneNotTheHosts) {
    start();  // the fake Calendly's host is in America/New_York
    net::WebSocketOptions options;
    options.idle_timeout = 5s;
    auto browser =
        io.run(net::connect_websocket(io.io.get_executor(), relay_url() + "?tz=Asia/Kolkata", {}, options));
    ASSERT_TRUE(browser) << browser.error().message;
    say(*browser, "Is the 30 minute meeting available?");

    ASSERT_TRUE(read_until(*browser, of_type("calrt.tool_result")));
    const auto result = seen.back();
    EXPECT_EQ(result["name"], "check_meeting_availability");
    EXPECT_EQ(result["arguments"].value("timezone", ""), "Asia/Kolkata") << result.dump();
    // The answer the person reads names the zone the page's cards use.
    ASSERT_TRUE(read_until(*browser, of_type("response.output_text.done")));
    const std::string answer = seen.back()["text"];
    EXPECT_NE(answer.find("in Asia/Kolkata time"), std::string::npos) << answer;
    EXPECT_EQ(answer.find("America/New_York"), std::string::npos) << answer;
    const std::string first_slot = result["result"]["days"][0]["slots"][0];
    EXPECT_TRUE(first_slot.ends_with("+05:30")) << first_slot;
}

TEST_F(RelayTimeZoneTest, AnUnknownZoneIsRefusedWith400AndNoSessionOpens) {
    start();
    for (const std::string query : {"?tz=Mars/Olympus_Mons", "?tz=../../etc/passwd", "?tz=%00"}) {
        auto refused = connect_with(query);
        ASSERT_FALSE(refused) << query;
        EXPECT_EQ(refused.error().code, "handshake_rejected");
        EXPECT_NE(refused.error().message.find("400"), std::string::npos) << refused.error().message;
    }
    // The body says what was wrong, as every other refusal does.
    const auto answer = test::http_request(relay_port(), "GET", "/api/realtime?tz=Mars/Olympus_Mons",
                                           {{"Connection", "Upgrade"}, {"Upgrade", "websocket"},
                                            {"Sec-WebSocket-Version", "13"},
                                            {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
    EXPECT_EQ(answer.result_int(), 400u);
    const auto body = nlohmann::json::parse(answer.body());
    EXPECT_EQ(body["error"]["code"], "invalid_timezone");
    EXPECT_NE(body["error"]["message"].get<std::string>().find("IANA time zone"), std::string::npos)
        << answer.body();
    EXPECT_EQ(fake_realtime.connections_accepted(), 0u);
}

}  // namespace
}  // namespace calrt::server
