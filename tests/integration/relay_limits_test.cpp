// What one client may take of the relay (review M3): open sessions per address, refused before the
// upgrade; and per session, the rate of response.create and user messages and a budget of
// messages, audio and responses, each ending the session with 1008 and a reason. Nothing over a
// limit reaches the upstream session.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "support/http_test_client.hpp"
#include "support/relay_test_fixture.hpp"
#include "support/running_server.hpp"

namespace calrt::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class RelayLimitsTest : public test::RelayTestFixture {
  protected:
    // Sends `events` in order, then reads until the relay closes the session; its close frame.
    net::WebSocketCloseInfo close_after(net::WebSocket& browser, const std::vector<json>& events) {
        for (const auto& event : events) (void)io.run(browser.write(event.dump()));
        EXPECT_FALSE(read_until(browser, [](const json&) { return false; }));
        return browser.peer_close().value_or(net::WebSocketCloseInfo{0, "no close frame: " + ended_with});
    }

    std::size_t upstream_received(const std::string& type) const {
        const auto types = fake_realtime.client_event_types();
        return static_cast<std::size_t>(std::count(types.begin(), types.end(), type));
    }

    // The upgrade request a browser sends, answered without a WebSocket client in between.
    test::HttpResponse upgrade_over_http() {
        return test::http_request(relay_port(), "GET", "/api/realtime",
                                  {{"Upgrade", "websocket"},
                                   {"Connection", "Upgrade"},
                                   {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                   {"Sec-WebSocket-Version", "13"}});
    }

    static json audio_append(double seconds) {
        // PCM16 24 kHz mono is 48,000 bytes a second; base64 is 4 characters for 3 bytes.
        const auto bytes = static_cast<std::size_t>(seconds * 48'000);
        return json{{"type", "input_audio_buffer.append"}, {"audio", std::string(bytes / 3 * 4, 'A')}};
    }
};

TEST_F(RelayLimitsTest, SessionsBeyondThePerAddressCapAreRefusedWith429) {
    limits.max_sessions_per_address = 2;
    start();
    auto first = open();
    auto second = open();
    ASSERT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 2; }));

    const auto refused = upgrade_over_http();
    EXPECT_EQ(refused.result_int(), 429u);
    EXPECT_FALSE(refused["Retry-After"].empty());
    const json body = json::parse(refused.body(), nullptr, false);
    EXPECT_EQ(body["error"]["code"], "too_many_sessions") << refused.body();

    // The cap is on open sessions: once one ends, the address may open another.
    io.run(first.close(net::close_code::normal, "bye"));
    EXPECT_TRUE(test::wait_until([&] { return static_cast<bool>(connect()); }));
}

// What a client sees. The race this guards against (the place given back only after the refusal
// was written, so an attempt served meanwhile on another thread found it taken) depends on thread
// timing and does not show here every time; api.openapi's limit scenario caught it under ASan.
TEST_F(RelayLimitsTest, ARefusedUpgradeDoesNotKeepItsAddressPlace) {
    limits.max_sessions_per_address = 1;
    limits.connections_per_minute = 1;
    start();
    {
        auto first = open();  // uses the minute's one connection
        io.run(first.close(net::close_code::normal, "done"));
    }
    ASSERT_TRUE(test::wait_until([&] { return active_sessions() == 0; }));
    // Refused for the rate, on a connection the client keeps open (the server lingers on it).
    test::HttpTestClient held(relay_port());
    const auto refused = held.request("GET", "/api/realtime",
                                      {{"Upgrade", "websocket"},
                                       {"Connection", "Upgrade"},
                                       {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                       {"Sec-WebSocket-Version", "13"}});
    ASSERT_TRUE(refused);
    EXPECT_EQ(json::parse(refused->body())["error"]["code"], "rate_limited");
    // The next attempt is refused for the rate too, not for a session this address does not have.
    const auto again = upgrade_over_http();
    EXPECT_EQ(json::parse(again.body())["error"]["code"], "rate_limited") << again.body();
}

TEST_F(RelayLimitsTest, ResponseCreateFasterThanTheRateClosesTheSessionWith1008) {
    limits.responses_per_minute = 20;
    limits.response_burst = 3;
    start();
    auto browser = open();
    const json create = {{"type", "response.create"}};
    const auto close = close_after(browser, {create, create, create, create});
    EXPECT_EQ(close.code, net::close_code::policy_violation);
    EXPECT_EQ(close.reason, "too many responses requested; wait a minute");
    EXPECT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 0; }));
    EXPECT_EQ(upstream_received("response.create"), 3u);
}

TEST_F(RelayLimitsTest, UserMessagesFasterThanTheRateCloseTheSessionWith1008) {
    limits.responses_per_minute = 20;
    limits.response_burst = 2;
    start();
    auto browser = open();
    const json message = test::user_message("hello");
    const auto close = close_after(browser, {message, message, message});
    EXPECT_EQ(close.code, net::close_code::policy_violation);
    EXPECT_EQ(close.reason, "too many messages sent; wait a minute");
    EXPECT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 0; }));
    EXPECT_EQ(upstream_received("conversation.item.create"), 2u);
}

TEST_F(RelayLimitsTest, AudioBeyondTheSessionBudgetClosesTheSessionWith1008) {
    limits.session_max_audio_seconds = 1;
    start();
    auto browser = open();
    const json part = audio_append(0.4);
    const json commit = {{"type", "input_audio_buffer.commit"}};
    // The fake does not record appends: the commits show what got through.
    const auto close = close_after(browser, {part, part, commit, part, commit});
    EXPECT_EQ(close.code, net::close_code::policy_violation);
    EXPECT_EQ(close.reason, "session budget used up: audio");
    EXPECT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 0; }));
    EXPECT_EQ(upstream_received("input_audio_buffer.commit"), 1u);
}

TEST_F(RelayLimitsTest, MessagesBeyondTheSessionBudgetCloseTheSessionWith1008) {
    limits.session_max_messages = 5;
    start();
    auto browser = open();
    // Refused events count too: each one costs the relay a parse.
    const json refused = {{"type", "session.delete"}};
    const json clear = {{"type", "input_audio_buffer.clear"}};
    const auto close = close_after(browser, {refused, refused, clear, clear, clear, clear});
    EXPECT_EQ(close.code, net::close_code::policy_violation);
    EXPECT_EQ(close.reason, "session budget used up: messages");
    EXPECT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 0; }));
    EXPECT_EQ(upstream_received("input_audio_buffer.clear"), 3u);
}

TEST_F(RelayLimitsTest, ResponsesBeyondTheSessionBudgetCloseTheSessionWith1008) {
    limits.responses_per_minute = 1000;
    limits.response_burst = 1000;
    limits.session_max_responses = 2;
    start();
    auto browser = open();
    const json create = {{"type", "response.create"}};
    const auto close = close_after(browser, {create, create, create});
    EXPECT_EQ(close.code, net::close_code::policy_violation);
    EXPECT_EQ(close.reason, "session budget used up: responses");
    EXPECT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 0; }));
    EXPECT_EQ(upstream_received("response.create"), 2u);
}

TEST_F(RelayLimitsTest, ATypedConversationWithinTheLimitsIsNotClosed) {
    start();
    auto browser = open();
    for (int turn = 0; turn < 5; ++turn) {
        say(browser, "hello " + std::to_string(turn));
        ASSERT_TRUE(read_until(browser, of_type("response.done")));
    }
    EXPECT_FALSE(browser.peer_close());
}

}  // namespace
}  // namespace calrt::server
