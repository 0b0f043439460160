// The fake Realtime server's events have the shape of the real server's: each event type that has
// a golden sample (testing/golden/realtime/, hand-written from openai-python and openai-node) is
// captured from a real connection to the fake and must carry every key of the golden with the
// same JSON type, so the fake cannot drift from the real format.
#include <gtest/gtest.h>

#include "support/fake_realtime_fixture.hpp"
#include "support/golden_events.hpp"

namespace calrt::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using test::golden_realtime_event;
using test::shape_difference;

class FakeRealtimeGoldenTest : public test::FakeRealtimeFixture {
  protected:
    // The first logged event satisfying `matches`.
    json first(const std::function<bool(const json&)>& matches) const {
        for (const auto& event : log.events) {
            if (matches(event)) return event;
        }
        return nullptr;
    }
    static std::function<bool(const json&)> of_type(std::string type) {
        return [type = std::move(type)](const json& event) { return event.value("type", "") == type; };
    }
    void expect_shape(const std::string& golden, const json& actual) {
        ASSERT_FALSE(actual.is_null()) << "the fake sent no event for " << golden;
        EXPECT_EQ(shape_difference(golden_realtime_event(golden), actual), "")
            << golden << " vs the fake's " << actual.dump();
    }
};

const json kTool = {{"type", "function"},
                    {"name", "book_meeting"},
                    {"description", "Books a meeting."},
                    {"parameters", {{"type", "object"}, {"properties", json::object()}}}};

TEST_F(FakeRealtimeGoldenTest, SessionUpdatedAndSpeechEventsHaveTheGoldenShapes) {
    auto socket = connect();
    update_session(socket, {{"instructions", "You help people book meetings."},
                            {"tools", json::array({kTool})},
                            {"output_modalities", {"text"}}});
    ASSERT_TRUE(read_until(socket, "session.updated"));
    say(socket, "hello");  // an item before the speech: committed's previous_item_id is a string
    ASSERT_TRUE(read_until(socket, "response.done"));
    send_audio(socket, 400ms, true);
    send_audio(socket, 600ms, false);
    ASSERT_TRUE(read_until(socket, "input_audio_buffer.committed"));
    ASSERT_TRUE(read_until(socket, "response.done"));

    expect_shape("session.updated", last("session.updated"));
    expect_shape("input_audio_buffer.speech_started", last("input_audio_buffer.speech_started"));
    expect_shape("input_audio_buffer.speech_stopped", last("input_audio_buffer.speech_stopped"));
    expect_shape("input_audio_buffer.committed", last("input_audio_buffer.committed"));
    expect_shape("conversation.item.added", first([](const json& event) {
                     return event.value("type", "") == "conversation.item.added" &&
                            event["item"].value("role", "") == "user" &&
                            event["item"]["content"][0].value("type", "") == "input_audio";
                 }));
}

TEST_F(FakeRealtimeGoldenTest, CompletedCallEventsHaveTheGoldenShapes) {
    fake.on_user_text("book", FakeTurn::calling({FakeToolCall{"book_meeting", {{"slot", "A"}}}}));
    auto socket = connect();
    update_session(socket, {{"output_modalities", {"audio"}}});
    say(socket, "book it");
    ASSERT_TRUE(read_until(socket, "response.done"));
    expect_shape("response.function_call_arguments.done",
                 last("response.function_call_arguments.done"));
    expect_shape("response.output_item.done.function_call.completed",
                 last("response.output_item.done"));
    expect_shape("response.done.completed", last("response.done"));
}

TEST_F(FakeRealtimeGoldenTest, InterruptedCallEventsHaveTheGoldenShapes) {
    fake.on_user_text("book", FakeTurn::calling({FakeToolCall{"book_meeting", {{"slot", "A"}}}})
                                  .held(FakeHold::mid_arguments));
    auto socket = connect();
    update_session(socket, {{"output_modalities", {"audio"}}});
    say(socket, "book it");
    ASSERT_TRUE(read_until(socket, "response.function_call_arguments.delta"));
    send_audio(socket, 300ms, true);
    ASSERT_TRUE(read_until(socket, "response.done"));
    expect_shape("response.function_call_arguments.done",
                 last("response.function_call_arguments.done"));
    expect_shape("response.output_item.done.function_call.incomplete",
                 last("response.output_item.done"));
    expect_shape("response.done.cancelled.turn_detected", last("response.done"));
}

TEST_F(FakeRealtimeGoldenTest, RefusalsHaveTheGoldenShapes) {
    fake.on_user_text("hello", FakeTurn::saying("Hello.").held(FakeHold::after_items));
    auto socket = connect();
    update_session(socket, {{"output_modalities", {"audio"}}});
    say(socket, "hello");
    ASSERT_TRUE(read_until(socket, "response.output_audio.delta"));
    send(socket, {{"type", "response.create"}});
    ASSERT_TRUE(read_until(socket, "error"));
    expect_shape("error.conversation_already_has_active_response", last("error"));
    fake.finish_held_responses();
    ASSERT_TRUE(read_until(socket, "response.done"));
    update_session(socket, {{"audio", {{"output", {{"voice", "cedar"}}}}}});
    ASSERT_TRUE(read_until(socket, [](const json& event) {
        return event.value("type", "") == "error" && event["error"]["code"] == "cannot_update_voice";
    }));
    expect_shape("error.cannot_update_voice", last("error"));
}

}  // namespace
}  // namespace calrt::testing
