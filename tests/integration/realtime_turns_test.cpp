// Voice turns as the real Realtime server orders them (issue 19), against the fake Realtime
// server's voice activity detection and held responses: the RealtimeSession's function-call loop
// must speak a tool's result even when the person spoke while it ran (the server refuses a second
// response.create while its own response is active: conversation_already_has_active_response),
// and must run a tool that changes something only for a call completed in a response that was not
// cancelled (a person who says "no, wait" gets no booking). Read-only tools may run early.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "calrt/realtime/realtime_session.hpp"
#include "support/io_threads.hpp"
#include "support/recording_observer.hpp"
#include "support/running_server.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"
#include "testing/fake_realtime/speech_stream.hpp"

namespace calrt::realtime {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using calrt::testing::FakeHold;
using calrt::testing::FakeToolCall;
using calrt::testing::FakeTurn;

boost::asio::awaitable<void> pause(std::chrono::milliseconds how_long) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, how_long);
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

class RealtimeTurnsTest : public ::testing::Test {
  protected:
    RealtimeTurnsTest() {
        fake.start();
        // Read-only: waits for the test to open the gate (at most 5 s), then answers.
        registry.add({"lookup", "Looks something up.", {{"type", "object"}}, false},
                     [this](const json&) -> boost::asio::awaitable<json> {
                         ++lookups;
                         for (int i = 0; i < 5000 && !gate_open; ++i) co_await pause(1ms);
                         co_return json{{"result", "lookup-42"}};
                     });
        // Changes something: must never run for a call the person interrupted.
        registry.add({"book", "Books a meeting.", {{"type", "object"}}, true},
                     [this](const json&) -> boost::asio::awaitable<json> {
                         ++bookings;
                         co_return json{{"booked", true}};
                     });
    }
    ~RealtimeTurnsTest() override { io.stop(); }

    std::shared_ptr<RealtimeSession> open() {
        RealtimeSessionOptions o;
        o.url = fake.url();
        o.api_key = Secret("test-openai-key");
        o.instructions = "You help with bookings.";
        o.output_modalities = {"text"};
        o.tool_timeout = 5s;
        auto session =
            io.run(RealtimeSession::connect(io.io.get_executor(), registry, std::move(o), observer));
        if (!session) throw std::runtime_error(session.error().message);
        ended = io.spawn((*session)->run());
        return *session;
    }

    // The person speaks for `speech` (as the page's microphone sends it), then is silent for
    // `silence` (enough, 600 ms, for the default server_vad to end the turn).
    static void speak(RealtimeSession& session, std::chrono::milliseconds speech,
                      std::chrono::milliseconds silence = 0ms) {
        session.forward(json{{"type", "input_audio_buffer.append"},
                             {"audio", calrt::testing::speech_pcm16_base64(speech)}}
                            .dump());
        if (silence.count() > 0) {
            session.forward(json{{"type", "input_audio_buffer.append"},
                                 {"audio", calrt::testing::silent_pcm16_base64(silence)}}
                                .dump());
        }
    }

    std::size_t seen(const std::string& type) const {
        const auto types = observer->event_types();
        return static_cast<std::size_t>(std::count(types.begin(), types.end(), type));
    }

    // The client's events have all been read by the fake and answered: a round trip through the
    // fake (input_audio_buffer.clear -> input_audio_buffer.cleared), so that anything the session
    // would have started on the events before has had its turn.
    bool round_trip(RealtimeSession& session) {
        const auto before = seen("input_audio_buffer.cleared");
        session.forward(R"({"type":"input_audio_buffer.clear"})");
        return test::wait_until([&] { return seen("input_audio_buffer.cleared") > before; });
    }

    test::IoThreads io;
    calrt::testing::FakeRealtime fake{io.io};
    MetricsRegistry metrics;
    tools::ToolRegistry registry{metrics};
    std::shared_ptr<test::RecordingObserver> observer = std::make_shared<test::RecordingObserver>();
    std::future<Error> ended;
    std::atomic<int> lookups{0};
    std::atomic<int> bookings{0};
    std::atomic<bool> gate_open{false};
};

TEST_F(RealtimeTurnsTest, ToolResultIsSpokenWhenThePersonSpokeWhileTheToolRan) {
    fake.on_user_text("look", FakeTurn::calling({FakeToolCall{"lookup"}},
                                                [](const std::vector<json>& outputs) {
                                                    return "The lookup says " +
                                                           outputs.at(0).value("result", "?") + ".";
                                                }));
    // The server's own response to the speech stays in progress until the test finishes it.
    fake.on_speech(FakeTurn::saying("One moment, please.").held(FakeHold::after_items));
    auto session = open();
    session->send_user_text("look it up");
    ASSERT_TRUE(test::wait_until([&] { return lookups == 1; }));

    speak(*session, 300ms, 600ms);
    ASSERT_TRUE(test::wait_until([&] { return seen("response.created") == 2; }));
    gate_open = true;  // the tool finishes while the server's response is active
    ASSERT_TRUE(test::wait_until([&] { return fake.function_call_outputs().size() == 1; }));
    ASSERT_TRUE(round_trip(*session));
    fake.finish_held_responses();

    ASSERT_TRUE(test::wait_until([&] {
        return observer->assistant_text().find("The lookup says lookup-42.") != std::string::npos;
    })) << observer->assistant_text();
    // The answer came from a response.create sent after the output (and accepted).
    const auto before = fake.outputs_before_response_create();
    EXPECT_TRUE(std::find(before.begin(), before.end(), 1u) != before.end());
    // No refusal was left without an answer: every refused response.create was retried, and the
    // tool's answer is the last response.
    EXPECT_EQ(fake.response_statuses().back(), "completed");
}

TEST_F(RealtimeTurnsTest, EffectfulCallDoesNotRunWhenThePersonInterrupts) {
    fake.on_user_text("book",
                      FakeTurn::calling({FakeToolCall{"book"}}).held(FakeHold::after_items));
    fake.on_speech(FakeTurn::saying("Okay, I will not book it."));
    auto session = open();
    session->send_user_text("book it");
    // The call is complete (output_item.done "completed"), its response not yet done.
    ASSERT_TRUE(test::wait_until([&] { return seen("response.output_item.done") == 1; }));

    speak(*session, 300ms);  // "no, wait": the server cancels the response (turn_detected)
    ASSERT_TRUE(test::wait_until([&] { return seen("response.done") == 1; }));
    EXPECT_EQ(fake.response_statuses(), std::vector<std::string>{"cancelled"});
    speak(*session, 0ms, 600ms);  // the person stops: the server answers the speech
    ASSERT_TRUE(test::wait_until([&] { return seen("response.done") == 2; }));
    ASSERT_TRUE(round_trip(*session));

    EXPECT_EQ(bookings, 0);
    const auto started = observer->tools_started();
    EXPECT_TRUE(std::find(started.begin(), started.end(), "book") == started.end());
}

TEST_F(RealtimeTurnsTest, EffectfulCallRunsOnlyAfterResponseDone) {
    fake.on_user_text("book",
                      FakeTurn::calling({FakeToolCall{"book"}}).held(FakeHold::after_items));
    auto session = open();
    session->send_user_text("book it");
    ASSERT_TRUE(test::wait_until([&] { return seen("response.output_item.done") == 1; }));
    ASSERT_TRUE(round_trip(*session));
    EXPECT_EQ(bookings, 0);  // complete, but its response may still be cancelled

    fake.finish_held_responses();
    ASSERT_TRUE(test::wait_until([&] { return bookings == 1; }));
    ASSERT_TRUE(test::wait_until([&] { return observer->answers_done() == 1; }));
    EXPECT_EQ(bookings, 1);
    EXPECT_EQ(fake.function_call_outputs().size(), 1u);
}

TEST_F(RealtimeTurnsTest, ReadOnlyCallStillRunsEarly) {
    gate_open = true;
    fake.on_user_text("look",
                      FakeTurn::calling({FakeToolCall{"lookup"}}).held(FakeHold::after_items));
    auto session = open();
    session->send_user_text("look it up");
    ASSERT_TRUE(test::wait_until([&] { return lookups == 1; }));
    EXPECT_TRUE(fake.response_statuses().empty());  // before response.done

    fake.finish_held_responses();
    ASSERT_TRUE(test::wait_until([&] { return observer->answers_done() == 1; }));
    EXPECT_EQ(lookups, 1);
}

TEST_F(RealtimeTurnsTest, IncompleteCallNeverRuns) {
    gate_open = true;
    fake.on_user_text("look",
                      FakeTurn::calling({FakeToolCall{"lookup"}}).held(FakeHold::mid_arguments));
    fake.on_user_text("book",
                      FakeTurn::calling({FakeToolCall{"book"}}).held(FakeHold::mid_arguments));
    auto session = open();
    for (const std::string text : {"look it up", "book it"}) {
        const auto responses_before = seen("response.done");
        const auto deltas_before = seen("response.function_call_arguments.delta");
        session->send_user_text(text);
        ASSERT_TRUE(test::wait_until(
            [&] { return seen("response.function_call_arguments.delta") > deltas_before; }));
        speak(*session, 300ms, 600ms);  // cancels the call mid-arguments, then is answered
        ASSERT_TRUE(test::wait_until([&] { return seen("response.done") == responses_before + 2; }))
            << text;
        ASSERT_TRUE(round_trip(*session));
    }
    EXPECT_EQ(fake.response_statuses(),
              (std::vector<std::string>{"cancelled", "completed", "cancelled", "completed"}));
    EXPECT_EQ(lookups, 0);
    EXPECT_EQ(bookings, 0);
    EXPECT_TRUE(observer->tools_started().empty());
}

}  // namespace
}  // namespace calrt::realtime
