// The fake Realtime server behaves as the real one does (research/openai.md): voice activity
// detection from the audio it receives, responses it creates and interrupts by itself, and the
// requests it refuses. Over a real WebSocket with a plain client.
#include <gtest/gtest.h>

#include "support/fake_realtime_fixture.hpp"

namespace calrt::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using test::event_of_type;

const json kTextOnly = {{"output_modalities", {"text"}}};

class FakeRealtimeVadTest : public test::FakeRealtimeFixture {};

// True when `expected` appears in `events` in this order (other events in between).
bool in_order(const std::vector<std::string>& events, const std::vector<std::string>& expected) {
    auto next = expected.begin();
    for (const auto& event : events) {
        if (next != expected.end() && event == *next) ++next;
    }
    return next == expected.end();
}

TEST_F(FakeRealtimeVadTest, SpeechIsDetectedCommittedAndAnsweredByAResponseOfItsOwn) {
    fake.on_speech(FakeTurn::saying("You said something."));
    auto socket = connect();
    update_session(socket, kTextOnly);
    ASSERT_TRUE(read_until(socket, "session.updated"));
    send_audio(socket, 500ms, false);
    send_audio(socket, 400ms, true);
    send_audio(socket, 600ms, false);
    ASSERT_TRUE(read_until(socket, "response.done"));

    EXPECT_TRUE(in_order(types(), {"input_audio_buffer.speech_started",
                                   "input_audio_buffer.speech_stopped",
                                   "input_audio_buffer.committed", "conversation.item.added",
                                   "conversation.item.done", "response.created",
                                   "response.output_text.delta", "response.done"}));
    const json started = last("input_audio_buffer.speech_started");
    const json stopped = last("input_audio_buffer.speech_stopped");
    const json committed = last("input_audio_buffer.committed");
    // Speech began at 500 ms; the default prefix_padding_ms (300) is included.
    EXPECT_EQ(started["audio_start_ms"], 200);
    // It ended at 900 ms; audio_end_ms includes the default silence_duration_ms (500).
    EXPECT_EQ(stopped["audio_end_ms"], 1400);
    EXPECT_EQ(stopped["item_id"], started["item_id"]);
    EXPECT_EQ(committed["item_id"], started["item_id"]);
    EXPECT_TRUE(committed["previous_item_id"].is_null());  // the first item of the conversation
    json item;  // the user's audio message, added before the response's items
    for (const auto& event : log.events) {
        if (event.value("type", "") == "conversation.item.added" && item.is_null()) item = event["item"];
    }
    ASSERT_TRUE(item.is_object());
    EXPECT_EQ(item["id"], started["item_id"]);
    EXPECT_EQ(item["role"], "user");
    ASSERT_EQ(item["content"].size(), 1u);
    EXPECT_EQ(item["content"][0]["type"], "input_audio");
    EXPECT_TRUE(item["content"][0]["transcript"].is_null());
    EXPECT_EQ(last("response.output_text.done")["text"], "You said something.");
    EXPECT_EQ(fake.response_statuses(), std::vector<std::string>{"completed"});
}

TEST_F(FakeRealtimeVadTest, SilenceIsNeverSpeech) {
    fake.on_user_text("ping", FakeTurn::saying("pong"));
    auto socket = connect();
    update_session(socket, kTextOnly);
    send_audio(socket, 2000ms, false);
    say(socket, "ping");  // something to wait for after the audio
    ASSERT_TRUE(read_until(socket, "response.done"));
    EXPECT_EQ(count("input_audio_buffer.speech_started"), 0u);
    EXPECT_EQ(count("response.created"), 1u);
}

TEST_F(FakeRealtimeVadTest, TurnDetectionOffHearsNoSpeech) {
    fake.on_user_text("ping", FakeTurn::saying("pong"));
    auto socket = connect();
    update_session(socket, {{"output_modalities", {"text"}}, {"audio", {{"input", {{"turn_detection", nullptr}}}}}});
    ASSERT_TRUE(read_until(socket, "session.updated"));
    EXPECT_TRUE(last("session.updated")["session"]["audio"]["input"]["turn_detection"].is_null());
    send_audio(socket, 400ms, true);
    send_audio(socket, 1000ms, false);
    say(socket, "ping");
    ASSERT_TRUE(read_until(socket, "response.done"));
    EXPECT_EQ(count("input_audio_buffer.speech_started"), 0u);
    EXPECT_EQ(count("response.created"), 1u);
}

TEST_F(FakeRealtimeVadTest, SemanticVadWithHighEagernessStopsAfterAShortSilence) {
    auto socket = connect();
    update_session(socket, {{"output_modalities", {"text"}},
                            {"audio",
                             {{"input",
                               {{"turn_detection", {{"type", "semantic_vad"}, {"eagerness", "high"}}}}}}}});
    ASSERT_TRUE(read_until(socket, "session.updated"));
    send_audio(socket, 400ms, true);
    send_audio(socket, 300ms, false);
    ASSERT_TRUE(read_until(socket, "response.done"));
    EXPECT_EQ(last("input_audio_buffer.speech_started")["audio_start_ms"], 0);  // floored at 0
    EXPECT_EQ(last("input_audio_buffer.speech_stopped")["audio_end_ms"], 650);  // 400 + 250
    EXPECT_EQ(last("response.output_text.done")["text"], "Fake Realtime heard you.");
}

TEST_F(FakeRealtimeVadTest, SpeechDuringAHeldResponseCancelsItAsTurnDetected) {
    fake.on_user_text("book", FakeTurn::calling({FakeToolCall{"book_meeting", {{"slot", "A"}}}})
                                  .held(FakeHold::after_items));
    fake.on_speech(FakeTurn::saying("Stopped."));
    auto socket = connect();
    update_session(socket, kTextOnly);
    say(socket, "book it");
    ASSERT_TRUE(read_until(socket, "response.output_item.done"));
    EXPECT_EQ(last("response.output_item.done")["item"]["status"], "completed");
    EXPECT_EQ(count("response.done"), 0u);  // held

    send_audio(socket, 300ms, true);
    ASSERT_TRUE(read_until(socket, "response.done"));
    EXPECT_TRUE(in_order(types(), {"input_audio_buffer.speech_started", "response.done"}));
    const json response = last("response.done")["response"];
    EXPECT_EQ(response["status"], "cancelled");
    EXPECT_EQ(response["status_details"], (json{{"type", "cancelled"}, {"reason", "turn_detected"}}));
    ASSERT_EQ(response["output"].size(), 1u);
    EXPECT_EQ(response["output"][0]["status"], "completed");  // it had completed before
    EXPECT_EQ(response["output"][0]["name"], "book_meeting");

    send_audio(socket, 600ms, false);  // the speech ends: its own response follows
    ASSERT_TRUE(read_until(socket, "response.output_text.done"));
    EXPECT_EQ(last("response.output_text.done")["text"], "Stopped.");
    ASSERT_TRUE(read_until(socket, "response.done"));
    EXPECT_EQ(fake.response_statuses(), (std::vector<std::string>{"cancelled", "completed"}));
}

TEST_F(FakeRealtimeVadTest, SpeechMidArgumentsClosesTheCallAsIncomplete) {
    fake.on_user_text("book", FakeTurn::calling({FakeToolCall{"book_meeting", {{"slot", "A"}}}})
                                  .held(FakeHold::mid_arguments));
    auto socket = connect();
    update_session(socket, kTextOnly);
    say(socket, "book it");
    ASSERT_TRUE(read_until(socket, "response.function_call_arguments.delta"));
    send_audio(socket, 300ms, true);
    ASSERT_TRUE(read_until(socket, "response.done"));
    EXPECT_TRUE(in_order(types(), {"input_audio_buffer.speech_started",
                                   "response.function_call_arguments.done",
                                   "response.output_item.done", "response.done"}));
    const std::string partial = last("response.function_call_arguments.done")["arguments"];
    EXPECT_LT(partial.size(), json({{"slot", "A"}}).dump().size());
    EXPECT_EQ(last("response.output_item.done")["item"]["status"], "incomplete");
    const json response = last("response.done")["response"];
    EXPECT_EQ(response["status"], "cancelled");
    EXPECT_EQ(response["status_details"]["reason"], "turn_detected");
    EXPECT_EQ(response["output"][0]["status"], "incomplete");
}

TEST_F(FakeRealtimeVadTest, SpeechDoesNotInterruptWhenInterruptResponseIsOff) {
    fake.on_user_text("long", FakeTurn::saying("A long answer.").held(FakeHold::after_items));
    auto socket = connect();
    update_session(socket, {{"output_modalities", {"text"}},
                            {"audio",
                             {{"input",
                               {{"turn_detection",
                                 {{"type", "server_vad"}, {"interrupt_response", false}}}}}}}});
    say(socket, "long answer please");
    ASSERT_TRUE(read_until(socket, "response.output_text.delta"));
    send_audio(socket, 300ms, true);
    send_audio(socket, 600ms, false);
    ASSERT_TRUE(read_until(socket, "input_audio_buffer.committed"));
    fake.finish_held_responses();
    ASSERT_TRUE(read_until(socket, "response.done"));
    EXPECT_EQ(last("response.done")["response"]["status"], "completed");
    EXPECT_EQ(last("response.output_text.done")["text"], "A long answer.");
}

TEST_F(FakeRealtimeVadTest, ResponseCreateDuringAnActiveResponseIsRefused) {
    fake.on_user_text("wait", FakeTurn::saying("Done waiting.").held(FakeHold::after_items));
    auto socket = connect();
    update_session(socket, kTextOnly);
    say(socket, "wait");
    ASSERT_TRUE(read_until(socket, "response.created"));
    const std::string active = last("response.created")["response"]["id"];
    send(socket, {{"type", "response.create"}, {"event_id", "evt_second"}});
    ASSERT_TRUE(read_until(socket, "error"));
    const json error = last("error")["error"];
    EXPECT_EQ(error["type"], "invalid_request_error");
    EXPECT_EQ(error["code"], "conversation_already_has_active_response");
    EXPECT_EQ(error["message"], "Conversation already has an active response in progress: " + active +
                                    ". Wait until the response is finished before creating a new one.");
    EXPECT_EQ(error["event_id"], "evt_second");
    EXPECT_EQ(count("response.created"), 1u);

    fake.finish_held_responses();
    ASSERT_TRUE(read_until(socket, "response.done"));
    EXPECT_EQ(last("response.done")["response"]["id"], active);
    EXPECT_EQ(last("response.output_text.done")["text"], "Done waiting.");
    send(socket, {{"type", "response.create"}});  // accepted now
    ASSERT_TRUE(read_until(socket, "response.done"));
    EXPECT_EQ(count("response.created"), 2u);
    EXPECT_EQ(fake.errors_sent().size(), 1u);
    EXPECT_EQ(fake.response_statuses(), (std::vector<std::string>{"completed", "completed"}));
}

TEST_F(FakeRealtimeVadTest, ResponseCancelEndsAHeldResponseAsClientCancelled) {
    fake.on_user_text("wait", FakeTurn::saying("Never said whole.").held(FakeHold::after_items));
    auto socket = connect();
    update_session(socket, kTextOnly);
    say(socket, "wait");
    ASSERT_TRUE(read_until(socket, "response.output_text.delta"));
    send(socket, {{"type", "response.cancel"}});
    ASSERT_TRUE(read_until(socket, "response.done"));
    const json response = last("response.done")["response"];
    EXPECT_EQ(response["status"], "cancelled");
    EXPECT_EQ(response["status_details"]["reason"], "client_cancelled");
    EXPECT_EQ(response["output"][0]["status"], "incomplete");
}

TEST_F(FakeRealtimeVadTest, VoiceUpdateAfterAudioIsRefusedWhollyAndTheNextUpdateAccepted) {
    fake.on_user_text("hello", FakeTurn::saying("Hello there."));
    auto socket = connect();
    update_session(socket, {{"output_modalities", {"audio"}}, {"audio", {{"output", {{"voice", "marin"}}}}}});
    ASSERT_TRUE(read_until(socket, "session.updated"));  // before any audio: accepted
    say(socket, "hello");
    ASSERT_TRUE(read_until(socket, "response.done"));
    ASSERT_GT(count("response.output_audio.delta"), 0u);

    update_session(socket, {{"instructions", "Speak like a pirate."},
                            {"audio", {{"output", {{"voice", "cedar"}}}}}});
    ASSERT_TRUE(read_until(socket, "error"));
    const json error = last("error")["error"];
    EXPECT_EQ(error["code"], "cannot_update_voice");
    EXPECT_EQ(error["message"], "Cannot update a conversation's voice if assistant audio is present.");
    EXPECT_EQ(count("session.updated"), 1u);

    update_session(socket, {{"instructions", "Be brief."}});
    ASSERT_TRUE(read_until(socket, "session.updated"));
    const json session = last("session.updated")["session"];
    EXPECT_EQ(session["instructions"], "Be brief.");
    EXPECT_EQ(session["audio"]["output"]["voice"], "marin");  // nothing of the refused one applied
    EXPECT_EQ(fake.session_updates().size(), 2u);  // the refused update is not among them
}

TEST_F(FakeRealtimeVadTest, SemanticVadWithAServerVadKeyIsRefused) {
    auto socket = connect();
    update_session(socket, {{"instructions", "Never applied."},
                            {"audio",
                             {{"input",
                               {{"turn_detection", {{"type", "semantic_vad"}, {"threshold", 0.6}}}}}}}});
    ASSERT_TRUE(read_until(socket, "error"));
    const json error = last("error")["error"];
    EXPECT_EQ(error["code"], "unknown_parameter");
    EXPECT_EQ(error["message"], "Unknown parameter: 'session.audio.input.turn_detection.threshold'.");
    EXPECT_EQ(error["param"], "session.audio.input.turn_detection.threshold");
    EXPECT_EQ(count("session.updated"), 0u);
}

TEST_F(FakeRealtimeVadTest, UnknownSessionKeyIsRefused) {
    auto socket = connect();
    update_session(socket, {{"modalities", {"text"}}});  // the beta's name
    ASSERT_TRUE(read_until(socket, "error"));
    EXPECT_EQ(last("error")["error"]["code"], "unknown_parameter");
    EXPECT_EQ(last("error")["error"]["param"], "session.modalities");
}

TEST_F(FakeRealtimeVadTest, ATurnDetectionObjectReplacesTheOldOneWhole) {
    auto socket = connect();
    update_session(socket, {{"audio",
                             {{"input",
                               {{"turn_detection",
                                 {{"type", "server_vad"}, {"threshold", 0.8}, {"silence_duration_ms", 900}}}}}}}});
    ASSERT_TRUE(read_until(socket, "session.updated"));
    EXPECT_EQ(last("session.updated")["session"]["audio"]["input"]["turn_detection"]["threshold"], 0.8);
    update_session(socket, {{"audio", {{"input", {{"turn_detection", {{"type", "semantic_vad"}}}}}}}});
    ASSERT_TRUE(read_until(socket, [](const json& event) {
        return event.value("type", "") == "session.updated" &&
               event["session"]["audio"]["input"]["turn_detection"]["type"] == "semantic_vad";
    }));
    EXPECT_EQ(last("session.updated")["session"]["audio"]["input"]["turn_detection"],
              (json{{"type", "semantic_vad"},
                    {"eagerness", "auto"},
                    {"create_response", true},
                    {"interrupt_response", true}}));
    update_session(socket, {{"audio", {{"input", {{"turn_detection", {{"type", "server_vad"}}}}}}}});
    ASSERT_TRUE(read_until(socket, [](const json& event) {
        return event.value("type", "") == "session.updated" &&
               event["session"]["audio"]["input"]["turn_detection"]["type"] == "server_vad";
    }));
    // The earlier threshold is gone: back to the default.
    EXPECT_EQ(last("session.updated")["session"]["audio"]["input"]["turn_detection"]["threshold"], 0.5);
}

TEST_F(FakeRealtimeVadTest, SandboxAnswersSpeechWithItsAudioNoticeAsSoonAsItHearsIt) {
    FakeRealtime sandbox(io.io, FakeRealtimeOptions{.sandbox = true});
    sandbox.start();
    net::HeaderList headers;
    headers.emplace_back("Authorization", "Bearer test-openai-key");
    auto connected = io.run(net::connect_websocket(io.io.get_executor(), sandbox.url(), headers, {}));
    ASSERT_TRUE(connected);
    auto& socket = *connected;
    update_session(socket, kTextOnly);
    // A beep every 500 ms, as Chromium's fake microphone sends: never 500 ms of silence.
    for (int beep = 0; beep < 3; ++beep) {
        send_audio(socket, 20ms, true);
        send_audio(socket, 480ms, false);
    }
    ASSERT_TRUE(read_until(socket, "response.output_text.done"));
    EXPECT_NE(last("response.output_text.done")["text"].get<std::string>().find("cannot hear audio"),
              std::string::npos);
    EXPECT_EQ(count("input_audio_buffer.speech_stopped"), 0u);
    // A pause ends the turn: no second notice for it; the next turn gets its own.
    send_audio(socket, 600ms, false);
    ASSERT_TRUE(read_until(socket, "input_audio_buffer.committed"));
    send_audio(socket, 300ms, true);
    ASSERT_TRUE(read_until(socket, "response.done"));  // the second notice's
    EXPECT_EQ(count("response.created"), 2u);
    sandbox.stop();
}

}  // namespace
}  // namespace calrt::testing
