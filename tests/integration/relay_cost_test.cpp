// What one client, or one network, may cost the host through the relay (review N2, N7): open
// sessions per IPv6 /48 (and IPv4 /24 when set) besides per address; responses the server creates
// by itself under voice activity count against the session's response budget; and minutes of
// sessions per address per UTC day, measured on the relay's clock.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/http_test_client.hpp"
#include "support/relay_test_fixture.hpp"
#include "support/running_server.hpp"
#include "testing/fake_realtime/speech_stream.hpp"

namespace calrt::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class RelayCostTest : public test::RelayTestFixture {
  protected:
    RelayCostTest() {
        // The test is the proxy: every connection comes from 127.0.0.1 and names its client.
        server_config.trusted_proxies = {*IpNetwork::parse("127.0.0.1")};
    }

    net::WebSocket open_from(const std::string& client) {
        auto socket = connect_from(client);
        if (!socket) throw std::runtime_error(client + ": " + socket.error().message);
        return std::move(*socket);
    }

    // The upgrade request a browser behind the proxy sends, answered without a WebSocket client.
    test::HttpResponse upgrade_from(const std::string& client) {
        return test::http_request(relay_port(), "GET", "/api/realtime",
                                  {{"Upgrade", "websocket"},
                                   {"Connection", "Upgrade"},
                                   {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                   {"Sec-WebSocket-Version", "13"},
                                   {"X-Forwarded-For", client}});
    }

    static std::string error_code(const test::HttpResponse& response) {
        const json body = json::parse(response.body(), nullptr, false);
        return body.is_object() ? body["error"].value("code", "") : "";
    }

    // Reads until the relay closes the session; its close frame.
    net::WebSocketCloseInfo read_to_close(net::WebSocket& browser) {
        EXPECT_FALSE(read_until(browser, [](const json&) { return false; }));
        return browser.peer_close().value_or(net::WebSocketCloseInfo{0, "no close frame: " + ended_with});
    }

    // The person says something and falls silent, as the page's microphone streams it: the
    // server's voice activity detection ends the turn and creates a response by itself.
    void speak(net::WebSocket& browser) {
        for (int i = 0; i < 4; ++i) {
            send(browser, {{"type", "input_audio_buffer.append"},
                           {"audio", calrt::testing::speech_pcm16_base64(100ms)}});
        }
        for (int i = 0; i < 6; ++i) {
            send(browser, {{"type", "input_audio_buffer.append"},
                           {"audio", calrt::testing::silent_pcm16_base64(100ms)}});
        }
    }

    std::size_t responses_created() const {
        std::size_t created = 0;
        for (const auto& event : log.events) created += event.value("type", "") == "response.created";
        return created;
    }
};

TEST_F(RelayCostTest, TheSixtyFoursOfOneIpv6SlashFortyEightShareOneCapOfOpenSessions) {
    limits.max_sessions_per_address = 3;
    limits.max_sessions_per_ipv6_48 = 2;
    start();
    auto first = open_from("2001:db8:1:1::1");
    auto second = open_from("2001:db8:1:2::1");
    ASSERT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 2; }));

    // Another /64 of the same /48: each /64 is under its own cap of 3, the /48 is not.
    const auto refused = upgrade_from("2001:db8:1:3::1");
    EXPECT_EQ(refused.result_int(), 429u);
    EXPECT_FALSE(refused["Retry-After"].empty());
    EXPECT_EQ(error_code(refused), "too_many_network_sessions") << refused.body();
    EXPECT_NE(refused.body().find("this network has too many assistant sessions open"), std::string::npos);

    // Another /48 is not affected.
    auto elsewhere = connect_from("2001:db8:2:1::1");
    EXPECT_TRUE(elsewhere);
    // The cap is on open sessions: once one ends, the /48 may open another.
    io.run(first.close(net::close_code::normal, "bye"));
    EXPECT_TRUE(test::wait_until([&] { return static_cast<bool>(connect_from("2001:db8:1:3::1")); }));
}

TEST_F(RelayCostTest, TheIpv4SlashTwentyFourCapAppliesOnlyWhenSet) {
    limits.max_sessions_per_address = 1;
    limits.max_sessions_per_ipv4_24 = 2;
    start();
    auto first = open_from("198.51.100.1");
    auto second = open_from("198.51.100.2");
    ASSERT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 2; }));
    const auto refused = upgrade_from("198.51.100.3");
    EXPECT_EQ(refused.result_int(), 429u);
    EXPECT_EQ(error_code(refused), "too_many_network_sessions") << refused.body();
    EXPECT_TRUE(connect_from("198.51.101.1"));
}

TEST_F(RelayCostTest, ByDefaultAnIpv4SlashTwentyFourIsNotCappedAsOne) {
    limits.max_sessions_per_address = 1;
    start();
    auto first = open_from("198.51.100.1");
    auto second = open_from("198.51.100.2");
    auto third = open_from("198.51.100.3");
    EXPECT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 3; }));
}

TEST_F(RelayCostTest, ResponsesTheServerCreatesFromSpeechCountAgainstTheResponseBudget) {
    limits.responses_per_minute = 1000;
    limits.response_burst = 1000;
    limits.session_max_responses = 3;
    start();
    auto browser = open();
    // Two typed turns: the browser's response.create and the response it causes count once.
    say(browser, "hello");
    ASSERT_TRUE(read_until(browser, of_type("response.done")));
    say(browser, "hello again");
    ASSERT_TRUE(read_until(browser, [&](const json& event) {
        return event.value("type", "") == "response.done" && responses_created() == 2;
    }));
    // The third response, one the server made from speech, is within the budget.
    speak(browser);
    ASSERT_TRUE(read_until(browser, [&](const json& event) {
        return event.value("type", "") == "response.done" && responses_created() == 3;
    }));
    EXPECT_FALSE(browser.peer_close());

    // The fourth, again from speech, is one too many.
    speak(browser);
    const auto close = read_to_close(browser);
    EXPECT_EQ(close.code, net::close_code::policy_violation);
    EXPECT_EQ(close.reason, "session budget used up: responses");
    EXPECT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 0; }));
    EXPECT_EQ(metrics.counter("calrt_realtime_limit_closes_total", "", {{"limit", "responses"}}).value(), 1u);
}

class RelayDailyMinutesTest : public RelayCostTest {
  protected:
    RelayDailyMinutesTest() {
        // An hour before midnight UTC: the refusal's Retry-After is easy to tell.
        manual_clock.set(*parse_rfc3339("2026-12-07T23:00:00Z"));
        relay_clock = &manual_clock;
        limits.daily_minutes_per_address = 1;
    }

    ManualClock& day_clock = manual_clock;
};

TEST_F(RelayDailyMinutesTest, AnOpenSessionEndsWhenItsAddressHasUsedTodaysMinutes) {
    start();
    auto browser = open_from("203.0.113.7");
    ASSERT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 1; }));
    day_clock.advance(59s);
    say(browser, "hello");  // within the minute: the session goes on
    ASSERT_TRUE(read_until(browser, of_type("response.done")));
    EXPECT_FALSE(browser.peer_close());

    day_clock.advance(2s);
    const auto close = read_to_close(browser);
    EXPECT_EQ(close.code, net::close_code::policy_violation);
    EXPECT_EQ(close.reason, "this address has used today's assistant minutes; try again after midnight UTC");
    EXPECT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 0; }));
    EXPECT_EQ(metrics.counter("calrt_realtime_limit_closes_total", "", {{"limit", "daily_minutes"}}).value(), 1u);
}

TEST_F(RelayDailyMinutesTest, AnAddressThatUsedItsMinutesIsRefusedUntilMidnightUtc) {
    start();
    {
        auto browser = open_from("203.0.113.7");
        ASSERT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 1; }));
        day_clock.advance(61s);  // 23:01:01
        EXPECT_EQ(read_to_close(browser).code, net::close_code::policy_violation);
    }
    ASSERT_TRUE(test::wait_until([&] { return active_sessions() == 0; }));

    const auto refused = upgrade_from("203.0.113.7");
    EXPECT_EQ(refused.result_int(), 429u);
    EXPECT_EQ(error_code(refused), "daily_minutes_used_up") << refused.body();
    EXPECT_EQ(refused["Retry-After"], "3539");  // until 00:00:00
    // Other addresses have their own minutes.
    EXPECT_TRUE(connect_from("203.0.113.8"));

    day_clock.advance(1h);  // the next UTC day
    EXPECT_TRUE(connect_from("203.0.113.7"));
}

TEST_F(RelayDailyMinutesTest, SessionsOfOneAddressAddUpTheirMinutes) {
    start();
    for (int session = 0; session < 2; ++session) {
        auto browser = open_from("203.0.113.7");
        ASSERT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 1; }));
        day_clock.advance(30s);
        io.run(browser.close(net::close_code::normal, "bye"));
        ASSERT_TRUE(test::wait_until([&] { return fake_realtime.open_connections() == 0; }));
    }
    ASSERT_TRUE(test::wait_until([&] { return active_sessions() == 0; }));
    EXPECT_EQ(error_code(upgrade_from("203.0.113.7")), "daily_minutes_used_up");
}

}  // namespace
}  // namespace calrt::server
