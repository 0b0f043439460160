// The fake OpenAI plays the phone caller on a SIP call's sideband, as the real server shows a call
// there (testing/fake_realtime/fake_caller.cpp, fake_sideband.hpp): the session the call was
// accepted with, the caller's speech in server VAD's order with the response it creates, keypad
// presses, and the sideband closed when the call ends. Over a plain WebSocket client and the
// fake's call control REST, as the phone service will use them.
#include <gtest/gtest.h>

#include <stdexcept>

#include "support/fake_realtime_fixture.hpp"
#include "support/http_test_client.hpp"
#include "support/running_server.hpp"

namespace calrt::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// What the phone service accepts a call with: text answers keep the events short to list.
json accept_body(json extra = json::object()) {
    json body = {{"type", "realtime"},
                 {"model", "gpt-realtime-2.1"},
                 {"output_modalities", {"text"}},
                 {"instructions", "You answer the phone for a Calendly host."}};
    body.merge_patch(extra);
    return body;
}

const json kTranscribed = {
    {"audio", {{"input", {{"transcription", {{"model", "gpt-4o-mini-transcribe"}}}}}}}};

class FakeRealtimeSidebandTest : public test::FakeRealtimeFixture {
  protected:
    // POST /v1/realtime/calls/{call}/{action} with the fake's key; the HTTP status.
    unsigned call_control(const std::string& call, const std::string& action,
                          const json& body = nullptr) {
        std::vector<std::pair<std::string, std::string>> headers{
            {"Authorization", "Bearer test-openai-key"}};
        if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
        return test::http_request(fake.port(), "POST", "/v1/realtime/calls/" + call + "/" + action,
                                  std::move(headers), body.is_null() ? "" : body.dump())
            .result_int();
    }

    // A call offered and accepted with `session`.
    std::string accepted_call(const json& session = accept_body()) {
        const std::string call = fake.calls().offer();
        if (call_control(call, "accept", session) != 200) throw std::runtime_error("not accepted");
        return call;
    }

    // The call's sideband (?call_id=, no model), read up to its session.created.
    net::WebSocket open_sideband(const std::string& call) {
        net::HeaderList headers;
        headers.emplace_back("Authorization", "Bearer test-openai-key");
        auto connected = io.run(net::connect_websocket(
            io.io.get_executor(), fake.url() + "?call_id=" + call, std::move(headers), {}));
        if (!connected) throw std::runtime_error(connected.error().message);
        if (!read_until(*connected, "session.created"))
            throw std::runtime_error("no session.created");
        return std::move(*connected);
    }

    // Reads until the server closes the sideband; its close frame's code (0: none came).
    std::uint16_t read_until_closed(net::WebSocket& socket) {
        EXPECT_FALSE(read_until(socket, [](const json&) { return false; }));
        EXPECT_EQ(log.ended_with, "closed");
        const auto close = socket.peer_close();
        return close ? close->code : 0;
    }

    // The logged event types from the first of `first` on.
    std::vector<std::string> types_from(const std::string& first) const {
        auto all = types();
        const auto at = std::find(all.begin(), all.end(), first);
        return {at, all.end()};
    }

    json first(const std::string& type) const {
        for (const auto& event : log.events) {
            if (event.value("type", "") == type) return event;
        }
        return nullptr;
    }
};

TEST_F(FakeRealtimeSidebandTest, SessionCreatedCarriesTheConfigurationTheCallWasAcceptedWith) {
    json tool = {{"type", "function"},
                 {"name", "check_meeting_availability"},
                 {"description", "Free times"},
                 {"parameters", {{"type", "object"}, {"properties", json::object()}}}};
    json session = accept_body(
        {{"tools", json::array({tool})},
         {"audio",
          {{"input",
            {{"transcription", {{"model", "gpt-4o-mini-transcribe"}}},
             {"turn_detection", {{"type", "server_vad"}, {"silence_duration_ms", 700}}}}},
           {"output", {{"voice", "cedar"}}}}}});
    const std::string call = accepted_call(session);
    auto sideband = open_sideband(call);
    EXPECT_TRUE(fake.sideband_open(call));

    const json created = last("session.created")["session"];
    EXPECT_EQ(created["model"], "gpt-realtime-2.1");
    EXPECT_EQ(created["instructions"], "You answer the phone for a Calendly host.");
    EXPECT_EQ(created["tools"], json::array({tool}));
    EXPECT_EQ(created["output_modalities"], json::array({"text"}));
    EXPECT_EQ(created["audio"]["output"]["voice"], "cedar");
    EXPECT_EQ(created["audio"]["input"]["transcription"]["model"], "gpt-4o-mini-transcribe");
    const json turn_detection = created["audio"]["input"]["turn_detection"];
    EXPECT_EQ(turn_detection["type"], "server_vad");
    EXPECT_EQ(turn_detection["silence_duration_ms"], 700);
    EXPECT_EQ(turn_detection["create_response"], true);  // the type's defaults filled in
}

TEST_F(FakeRealtimeSidebandTest, CallerSpeechArrivesInServerVadOrderAndGetsTheScriptedAnswer) {
    fake.on_user_text("opening hours", FakeTurn::saying("We are open nine to five."));
    const std::string call = accepted_call(accept_body(kTranscribed));
    fake.caller_says(call, "What are your opening hours?");  // before the sideband: queued
    auto sideband = open_sideband(call);
    ASSERT_TRUE(read_until(sideband, "response.done"));

    EXPECT_EQ(
        types_from("input_audio_buffer.speech_started"),
        (std::vector<std::string>{
            "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped",
            "input_audio_buffer.committed", "conversation.item.added", "conversation.item.done",
            "response.created", "conversation.item.input_audio_transcription.completed",
            "response.output_item.added", "conversation.item.added", "response.output_text.delta",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
            "response.output_item.done", "conversation.item.done", "response.done"}));
    const json started = first("input_audio_buffer.speech_started");
    const json stopped = first("input_audio_buffer.speech_stopped");
    const json committed = first("input_audio_buffer.committed");
    const json user_item = first("conversation.item.added")["item"];
    const json transcription = first("conversation.item.input_audio_transcription.completed");
    EXPECT_EQ(started["audio_start_ms"], 700);  // 1000 ms of silence first, 300 ms prefix padding
    EXPECT_GT(stopped["audio_end_ms"].get<int>(), started["audio_start_ms"].get<int>());
    for (const json& id :
         {stopped["item_id"], committed["item_id"], user_item["id"], transcription["item_id"]})
        EXPECT_EQ(id, started["item_id"]);
    EXPECT_TRUE(committed["previous_item_id"].is_null());
    EXPECT_EQ(user_item["role"], "user");
    EXPECT_EQ(user_item["content"][0]["type"], "input_audio");
    EXPECT_EQ(transcription["transcript"], "What are your opening hours?");
    EXPECT_EQ(transcription["content_index"], 0);
    EXPECT_EQ(transcription["usage"]["type"], "duration");
    EXPECT_EQ(last("response.done")["response"]["status"], "completed");
    EXPECT_EQ(fake.assistant_said(call), std::vector<std::string>{"We are open nine to five."});
    EXPECT_EQ(fake.sideband_call_ids(), std::vector<std::string>{call});
}

TEST_F(FakeRealtimeSidebandTest, WithoutInputTranscriptionNoTranscriptIsSent) {
    const std::string call = accepted_call();
    auto sideband = open_sideband(call);
    fake.caller_says(call, "Hello?");  // the sideband is live: played at once
    ASSERT_TRUE(read_until(sideband, "response.done"));
    EXPECT_EQ(count("conversation.item.input_audio_transcription.completed"), 0u);
    EXPECT_EQ(fake.assistant_said(call),
              std::vector<std::string>{"Fake Realtime: no script for that."});
}

TEST_F(FakeRealtimeSidebandTest, ToolCallTurnStreamsAndItsAnswerFollowsTheOutputs) {
    fake.on_user_text("book", FakeTurn::calling({FakeToolCall{"book_meeting", {{"slot", "10:00"}}}},
                                                [](const std::vector<json>& outputs) {
                                                    return "Booked: " +
                                                           outputs.at(0).value("message", "");
                                                }));
    const std::string call = accepted_call();
    auto sideband = open_sideband(call);
    fake.caller_says(call, "Please book the ten o'clock slot.");
    ASSERT_TRUE(read_until(sideband, "response.done"));
    const json arguments_done = last("response.function_call_arguments.done");
    EXPECT_EQ(arguments_done["name"], "book_meeting");
    EXPECT_EQ(json::parse(arguments_done["arguments"].get<std::string>()),
              (json{{"slot", "10:00"}}));
    EXPECT_GE(count("response.function_call_arguments.delta"), 2u);
    EXPECT_TRUE(fake.assistant_said(call).empty());  // a call, no answer yet

    send(sideband, {{"type", "conversation.item.create"},
                    {"item",
                     {{"type", "function_call_output"},
                      {"call_id", arguments_done["call_id"]},
                      {"output", json{{"message", "10:00 with Ada"}}.dump()}}}});
    send(sideband, {{"type", "response.create"}});
    log.events.clear();
    ASSERT_TRUE(read_until(sideband, "response.done"));
    EXPECT_EQ(last("response.output_text.done")["text"], "Booked: 10:00 with Ada");
    EXPECT_EQ(fake.assistant_said(call), std::vector<std::string>{"Booked: 10:00 with Ada"});
    EXPECT_EQ(fake.outputs_before_response_create(), std::vector<std::size_t>{1});
}

TEST_F(FakeRealtimeSidebandTest, CallerSpeakingDuringAResponseCancelsItAsTurnDetected) {
    fake.on_user_text("book", FakeTurn::calling({FakeToolCall{"book_meeting", {{"slot", "A"}}}})
                                  .held(FakeHold::after_items));
    fake.on_user_text("wait", FakeTurn::saying("Stopped."));
    const std::string call = accepted_call();
    auto sideband = open_sideband(call);
    fake.caller_says(call, "Book slot A.");
    ASSERT_TRUE(read_until(sideband, "response.output_item.done"));
    EXPECT_EQ(count("response.done"), 0u);  // held in progress

    ASSERT_TRUE(read_until(sideband, "conversation.item.done"));  // the call's item, completed
    const std::size_t seen = log.events.size();
    fake.caller_says(call, "No, wait!");
    ASSERT_TRUE(read_until(sideband, "response.done"));
    const auto all = types();
    EXPECT_EQ(std::vector<std::string>(all.begin() + static_cast<std::ptrdiff_t>(seen), all.end()),
              (std::vector<std::string>{"input_audio_buffer.speech_started", "response.done"}));
    EXPECT_EQ(last("response.done")["response"]["status_details"],
              (json{{"type", "cancelled"}, {"reason", "turn_detected"}}));
    ASSERT_TRUE(read_until(sideband, "response.done"));  // the speech's own response
    EXPECT_EQ(last("response.output_text.done")["text"], "Stopped.");
    EXPECT_EQ(fake.response_statuses(), (std::vector<std::string>{"cancelled", "completed"}));
    EXPECT_EQ(fake.assistant_said(call), std::vector<std::string>{"Stopped."});
}

TEST_F(FakeRealtimeSidebandTest, SandboxAnswersTheCallerWithTheAcceptedInstructionsTimeZone) {
    FakeRealtime sandbox(io.io, FakeRealtimeOptions{.sandbox = true});
    sandbox.start();
    const std::string call = sandbox.calls().offer();
    ASSERT_EQ(test::http_request(sandbox.port(), "POST", "/v1/realtime/calls/" + call + "/accept",
                                 {{"Authorization", "Bearer test-openai-key"},
                                  {"Content-Type", "application/json"}},
                                 accept_body({{"instructions",
                                               "Help the caller; the person's time zone is "
                                               "Europe/Paris."}})
                                     .dump())
                  .result_int(),
              200u);
    sandbox.caller_says(call, "What times are available tomorrow?");
    net::HeaderList headers;
    headers.emplace_back("Authorization", "Bearer test-openai-key");
    auto sideband = io.run(net::connect_websocket(
        io.io.get_executor(), sandbox.url() + "?call_id=" + call, std::move(headers), {}));
    ASSERT_TRUE(sideband);
    ASSERT_TRUE(read_until(*sideband, "response.function_call_arguments.done"));
    const json done = last("response.function_call_arguments.done");
    EXPECT_EQ(done["name"], "check_meeting_availability");
    EXPECT_EQ(json::parse(done["arguments"].get<std::string>())["timezone"], "Europe/Paris");
    sandbox.stop();
}

TEST_F(FakeRealtimeSidebandTest, SessionUpdateOverTheSidebandAppliesOnTopOfTheAcceptedSession) {
    const std::string call =
        accepted_call(accept_body({{"audio", {{"output", {{"voice", "cedar"}}}}}}));
    auto sideband = open_sideband(call);
    send(sideband, {{"type", "session.update"},
                    {"session", {{"type", "realtime"}, {"instructions", "Be brief."}}}});
    ASSERT_TRUE(read_until(sideband, "session.updated"));
    const json updated = last("session.updated")["session"];
    EXPECT_EQ(updated["instructions"], "Be brief.");
    EXPECT_EQ(updated["audio"]["output"]["voice"], "cedar");
    EXPECT_EQ(updated["model"], "gpt-realtime-2.1");
}

TEST_F(FakeRealtimeSidebandTest, KeypadPressesArriveAsDtmfEventsOneAKey) {
    const std::string call = accepted_call();
    auto sideband = open_sideband(call);
    const auto before = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    fake.caller_presses(call, "1#");
    ASSERT_TRUE(read_until(sideband, [](const json& event) {
        return event.value("type", "") == "input_audio_buffer.dtmf_event_received" &&
               event.value("event", "") == "#";
    }));
    ASSERT_EQ(count("input_audio_buffer.dtmf_event_received"), 2u);
    const json pressed = first("input_audio_buffer.dtmf_event_received");
    EXPECT_EQ(pressed["event"], "1");
    EXPECT_GE(pressed["received_at"].get<std::int64_t>(), before);
    // The spec's schema: type, event and received_at, nothing else.
    EXPECT_EQ(pressed.size(), 3u);
    EXPECT_EQ(count("response.created"), 0u);  // a key press creates no response
    EXPECT_THROW(fake.caller_presses(call, "9x"), std::invalid_argument);
}

TEST_F(FakeRealtimeSidebandTest, CallerHangingUpEndsTheCallAndClosesTheSideband) {
    const std::string call = accepted_call();
    auto sideband = open_sideband(call);
    fake.caller_hangs_up(call);
    EXPECT_EQ(read_until_closed(sideband), 1000);
    EXPECT_EQ(fake.calls().state(call), FakeCallState::ended);
    EXPECT_TRUE(test::wait_until([&] { return !fake.sideband_open(call); }));
    EXPECT_EQ(call_control(call, "hangup"), 400u);  // nothing left to hang up
    fake.caller_says(call, "Hello?");               // the caller is gone: nothing happens
    EXPECT_EQ(fake.assistant_said(call), std::vector<std::string>{});
}

TEST_F(FakeRealtimeSidebandTest, WhatTheCallerDidBeforeTheSidebandIsPlayedInOrder) {
    fake.on_user_text("hi", FakeTurn::saying("Hello, caller."));
    const std::string call = accepted_call();
    fake.caller_says(call, "hi there");
    fake.caller_presses(call, "5");
    fake.caller_hangs_up(call);
    EXPECT_EQ(fake.calls().state(call), FakeCallState::accepted);  // waits for the sideband
    auto sideband = open_sideband(call);
    EXPECT_EQ(read_until_closed(sideband), 1000);
    const auto seen = types();
    const auto done = std::find(seen.begin(), seen.end(), "response.done");
    const auto pressed =
        std::find(seen.begin(), seen.end(), "input_audio_buffer.dtmf_event_received");
    ASSERT_NE(done, seen.end());
    EXPECT_LT(done, pressed);
    EXPECT_EQ(fake.assistant_said(call), std::vector<std::string>{"Hello, caller."});
    EXPECT_EQ(fake.calls().state(call), FakeCallState::ended);
}

TEST_F(FakeRealtimeSidebandTest, HangupThroughCallControlClosesTheSideband) {
    const std::string call = accepted_call();
    auto sideband = open_sideband(call);
    ASSERT_EQ(call_control(call, "hangup"), 200u);
    EXPECT_EQ(read_until_closed(sideband), 1000);
    EXPECT_EQ(fake.calls().state(call), FakeCallState::hung_up);
    EXPECT_TRUE(test::wait_until([&] { return !fake.sideband_open(call); }));
}

TEST_F(FakeRealtimeSidebandTest, ReferTransfersTheCallAndClosesTheSidebandOnceRecorded) {
    const std::string call = accepted_call();
    auto sideband = open_sideband(call);
    ASSERT_EQ(call_control(call, "refer", {{"target_uri", "tel:+14155550123"}}), 200u);
    EXPECT_EQ(read_until_closed(sideband), 1000);
    EXPECT_EQ(fake.calls().state(call), FakeCallState::referred);
    ASSERT_EQ(fake.calls().requests(call, "refer").size(), 1u);
}

TEST_F(FakeRealtimeSidebandTest, AnotherCallsSidebandIsLeftOpen) {
    const std::string kept = accepted_call();
    const std::string ended = accepted_call();
    auto kept_sideband = open_sideband(kept);
    auto ended_sideband = open_sideband(ended);
    ASSERT_EQ(call_control(ended, "hangup"), 200u);
    EXPECT_EQ(read_until_closed(ended_sideband), 1000);
    EXPECT_TRUE(fake.sideband_open(kept));
    fake.on_user_text("still", FakeTurn::saying("Still here."));
    fake.caller_says(kept, "Are you still there?");
    ASSERT_TRUE(read_until(kept_sideband, "response.done"));
    EXPECT_EQ(fake.assistant_said(kept), std::vector<std::string>{"Still here."});
}

TEST_F(FakeRealtimeSidebandTest, ActingOnACallTheFakeNeverOfferedIsAMistake) {
    EXPECT_THROW(fake.caller_says("rtc_nope", "hi"), std::invalid_argument);
    EXPECT_THROW(fake.caller_hangs_up("rtc_nope"), std::invalid_argument);
}

}  // namespace
}  // namespace calrt::testing
