// Audio through the relay as the benchmark streams it (bench/relay): the microphone's appends reach
// the Realtime API unchanged and in order, the API's speech streamed at real time reaches the page
// whole, and the fake's measuring aids (latency, tool round trips) do what they say.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "support/relay_test_fixture.hpp"
#include "support/running_server.hpp"
#include "testing/fake_realtime/speech_stream.hpp"

namespace calrt::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using calrt::testing::FakeToolCall;
using calrt::testing::FakeTurn;

// 100 ms of PCM16 at 24 kHz is 4,800 bytes: 6,400 base64 characters.
const std::string kChunk(6400, 'A');

class RelayAudioStreamTest : public test::RelayTestFixture {
  protected:
    RelayAudioStreamTest()
        : RelayTestFixture(calrt::testing::FakeRealtimeOptions{
              .streamed_speech = 300ms,
              .audio_chunk = 100ms,
              .on_client_event = [this](const json& event) { upstream_event(event); }}) {}

    std::vector<json> appends() {
        const std::lock_guard lock(mutex_);
        return appends_;
    }

  private:
    void upstream_event(const json& event) {
        if (event.value("type", "") != "input_audio_buffer.append") return;
        const std::lock_guard lock(mutex_);
        appends_.push_back(event);
    }

    std::mutex mutex_;
    std::vector<json> appends_;
};

TEST_F(RelayAudioStreamTest, MicrophoneAudioReachesTheApiUnchangedAndInOrder) {
    start();
    auto browser = open();
    for (int n = 0; n < 5; ++n) {
        browser.send(R"({"type":"input_audio_buffer.append","event_id":"mic)" + std::to_string(n) +
                     R"(","audio":")" + kChunk + R"("})");
    }
    // Not in the usual shape (an escape sequence): parsed and re-serialized, still in order.
    browser.send(R"({"type":"input_audio_buffer.append","event_id":"mic\u0035","audio":")" + kChunk + R"("})");
    ASSERT_TRUE(test::wait_until([&] { return appends().size() == 6; }));
    const auto received = appends();
    for (int n = 0; n < 6; ++n) {
        EXPECT_EQ(received[n]["event_id"], "mic" + std::to_string(n));
        EXPECT_EQ(received[n]["audio"], kChunk);
        EXPECT_EQ(received[n].size(), 3u);
    }
}

TEST_F(RelayAudioStreamTest, SpeechStreamedAtRealTimeReachesThePageWhole) {
    start();
    auto browser = open();
    const auto asked = std::chrono::steady_clock::now().time_since_epoch().count();
    send(browser, {{"type", "response.create"}});
    ASSERT_TRUE(read_until(browser, of_type("response.done")));
    std::vector<long long> sent_at;
    for (const auto& event : seen) {
        if (event.value("type", "") != "response.output_audio.delta") continue;
        EXPECT_EQ(event["delta"].get<std::string>().size(), 6400u);
        sent_at.push_back(calrt::testing::event_sent_at_ns(event["event_id"].get<std::string>()));
    }
    ASSERT_EQ(sent_at.size(), 3u);  // 300 ms in 100 ms chunks
    // Paced by the clock: chunk k goes (k + 1) * 100 ms after the request at the earliest.
    for (std::size_t k = 0; k < sent_at.size(); ++k) {
        EXPECT_GE(sent_at[k] - asked, std::chrono::nanoseconds(100ms).count() * static_cast<long long>(k + 1));
    }
    EXPECT_EQ(seen.back()["response"]["status"], "completed");
}

TEST_F(RelayAudioStreamTest, AFarAwayApiDelaysTheUpgradeAndTheSessionUpdate) {
    start();
    fake_realtime.set_latency(60ms);
    const auto started = std::chrono::steady_clock::now();
    auto browser = open();
    ASSERT_TRUE(read_until(browser, of_type("session.updated")));
    EXPECT_GE(std::chrono::steady_clock::now() - started, 120ms);
}

class RelayToolRoundTripTest : public test::RelayTestFixture {};

TEST_F(RelayToolRoundTripTest, TheFakeTimesEachToolTurnFromItsResponseDoneToTheNextResponseCreate) {
    fake_realtime.on_user_text(
        "link", FakeTurn::calling({FakeToolCall{"schedule_call", {{"name", "Ada Lovelace"}, {"email", "ada@example.com"}}}}));
    fake_calendly.inject("/scheduling_links", calrt::testing::FaultPlan::delayed(80ms));
    start();
    auto browser = open();
    say(browser, "Send me a link");
    ASSERT_TRUE(read_until(browser, of_type("response.output_text.done")));
    const auto trips = fake_realtime.tool_round_trips();
    ASSERT_EQ(trips.size(), 1u);
    EXPECT_EQ(trips[0].tools, std::vector<std::string>{"schedule_call"});
    EXPECT_GE(trips[0].took, 80ms);  // the tool waited on Calendly in between
}

}  // namespace
}  // namespace calrt::server
