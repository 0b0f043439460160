// Realtime GA events: the client events we build and the server events we read.
#include <gtest/gtest.h>

#include "calrt/realtime/client_events.hpp"
#include "calrt/realtime/realtime_session.hpp"
#include "calrt/realtime/server_events.hpp"

namespace calrt::realtime {
namespace {

using nlohmann::json;

ServerEvent event(const char* text) {
    auto parsed = parse_server_event(text);
    EXPECT_TRUE(parsed) << text;
    return parsed.value_or(ServerEvent{});
}

TEST(ClientEvents, SessionUpdateHasTheGaShape) {
    const json tools = json::array({{{"type", "function"}, {"name", "ping"}}});
    const json update =
        session_update(SessionConfig{"Be brief.", {"audio"}, "cedar", tools, "auto"});
    EXPECT_EQ(update["type"], "session.update");
    const json& session = update["session"];
    EXPECT_EQ(session["type"], "realtime");
    EXPECT_EQ(session["instructions"], "Be brief.");
    EXPECT_EQ(session["output_modalities"], json::array({"audio"}));
    EXPECT_EQ(session["audio"]["input"]["format"], (json{{"type", "audio/pcm"}, {"rate", 24000}}));
    EXPECT_EQ(session["audio"]["input"]["turn_detection"]["type"], "server_vad");
    EXPECT_EQ(session["audio"]["output"]["format"], (json{{"type", "audio/pcm"}, {"rate", 24000}}));
    EXPECT_EQ(session["audio"]["output"]["voice"], "cedar");
    EXPECT_EQ(session["tools"], tools);
    EXPECT_EQ(session["tool_choice"], "auto");
    EXPECT_FALSE(session.contains("modalities"));  // the beta name
}

TEST(ClientEvents, TextSessionSendsNoAudioOutputSettings) {
    const json update = session_update(SessionConfig{"", {"text"}, "marin", json::array(), "auto"});
    EXPECT_EQ(update["session"]["output_modalities"], json::array({"text"}));
    EXPECT_FALSE(update["session"]["audio"].contains("output"));
    EXPECT_TRUE(update["session"]["audio"].contains("input"));
}

TEST(ClientEvents, FunctionCallOutputCarriesTheResultAsJsonText) {
    const json result = {{"message", "Booked"}, {"ok", true}};
    const json event = function_call_output("call_1", result);
    EXPECT_EQ(event["type"], "conversation.item.create");
    EXPECT_EQ(event["item"]["type"], "function_call_output");
    EXPECT_EQ(event["item"]["call_id"], "call_1");
    ASSERT_TRUE(event["item"]["output"].is_string());
    EXPECT_EQ(json::parse(event["item"]["output"].get<std::string>()), result);
}

TEST(ClientEvents, UserTextIsAnInputTextMessage) {
    EXPECT_EQ(user_text_message("hi"),
              (json{{"type", "conversation.item.create"},
                    {"item",
                     {{"type", "message"},
                      {"role", "user"},
                      {"content", {{{"type", "input_text"}, {"text", "hi"}}}}}}}));
    EXPECT_EQ(response_create(), (json{{"type", "response.create"}}));
}

TEST(ServerEvents, IgnoresMessagesThatAreNotTypedJsonObjects) {
    EXPECT_FALSE(parse_server_event("not json"));
    EXPECT_FALSE(parse_server_event("[1,2]"));
    EXPECT_FALSE(parse_server_event(R"({"type":7})"));
}

TEST(ServerEvents, ReadsACallFromFunctionCallArgumentsDone) {
    auto call = completed_function_call(
        event(R"({"type":"response.function_call_arguments.done","response_id":"r1",
        "item_id":"i1","output_index":0,"call_id":"c1","name":"ping","arguments":"{\"a\":1}"})"));
    ASSERT_TRUE(call);
    EXPECT_EQ(call->call_id, "c1");
    EXPECT_EQ(call->name, "ping");
    EXPECT_EQ(call->arguments, R"({"a":1})");
    EXPECT_EQ(call->response_id, "r1");
}

TEST(ServerEvents, ReadsACallFromOutputItemDoneOnlyForFunctionCallItems) {
    auto call =
        completed_function_call(event(R"({"type":"response.output_item.done","response_id":"r1",
        "item":{"type":"function_call","call_id":"c1","name":"ping","arguments":"{}","status":"completed"}})"));
    ASSERT_TRUE(call);
    EXPECT_EQ(call->call_id, "c1");
    EXPECT_FALSE(completed_function_call(event(
        R"({"type":"response.output_item.done","item":{"type":"message","role":"assistant"}})")));
}

TEST(ServerEvents, ACallWithoutCallIdIsNotACall) {
    EXPECT_FALSE(completed_function_call(
        event(R"({"type":"response.function_call_arguments.done","name":"ping"})")));
}

TEST(ServerEvents, ListsTheCallsOfResponseDoneAndItsStatus) {
    const auto done =
        event(R"({"type":"response.done","response":{"id":"r1","status":"completed","output":[
        {"type":"message"},{"type":"function_call","call_id":"c1","name":"a","arguments":"{}"},
        {"type":"function_call","call_id":"c2","name":"b","arguments":"{}"}]}})");
    const auto calls = function_calls_in_response(done);
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[1].call_id, "c2");
    EXPECT_EQ(calls[1].response_id, "r1");
    EXPECT_EQ(response_done(done)->status, "completed");
}

TEST(ServerEvents, ReadsErrorEventsWithMissingFields) {
    auto error =
        upstream_error(event(R"({"type":"error","error":{"type":"invalid_request_error","code":null,
        "message":"Unknown parameter","event_id":"e9"}})"));
    ASSERT_TRUE(error);
    EXPECT_EQ(error->type, "invalid_request_error");
    EXPECT_EQ(error->code, "");
    EXPECT_EQ(error->message, "Unknown parameter");
    EXPECT_EQ(error->event_id, "e9");
    EXPECT_FALSE(upstream_error(event(R"({"type":"error"})"))->message.empty());
}

TEST(ServerEvents, ReadsTextAndTranscriptDeltasButNotBetaNames) {
    EXPECT_EQ(assistant_text_delta(event(R"({"type":"response.output_text.delta","delta":"Hel"})")),
              "Hel");
    EXPECT_EQ(assistant_text_delta(
                  event(R"({"type":"response.output_audio_transcript.delta","delta":"lo"})")),
              "lo");
    EXPECT_FALSE(assistant_text_delta(event(R"({"type":"response.text.delta","delta":"x"})")));
    EXPECT_FALSE(
        assistant_text_delta(event(R"({"type":"response.audio_transcript.delta","delta":"x"})")));
}

TEST(RealtimeSessionUrl, AddsTheModelToTheQuery) {
    EXPECT_EQ(realtime_session_url("wss://api.openai.com/v1/realtime", "gpt-realtime").value(),
              "wss://api.openai.com/v1/realtime?model=gpt-realtime");
    EXPECT_EQ(realtime_session_url("ws://127.0.0.1:9/v1/realtime?x=1", "a b").value(),
              "ws://127.0.0.1:9/v1/realtime?x=1&model=a%20b");
    EXPECT_EQ(realtime_session_url("::nope", "m").error().code, "invalid_url");
}

TEST(RealtimeSidebandUrl, NamesTheCallInsteadOfTheModel) {
    // openai-node src/realtime/internal-base.ts: call_id and model are never sent together.
    EXPECT_EQ(realtime_sideband_url("wss://api.openai.com/v1/realtime", "rtc_abc").value(),
              "wss://api.openai.com/v1/realtime?call_id=rtc_abc");
    EXPECT_EQ(realtime_sideband_url("ws://127.0.0.1:9/v1/realtime?model=m&x=1", "rtc_1").value(),
              "ws://127.0.0.1:9/v1/realtime?x=1&call_id=rtc_1");
    EXPECT_EQ(realtime_sideband_url("::nope", "rtc_1").error().code, "invalid_url");
}

}  // namespace
}  // namespace calrt::realtime
