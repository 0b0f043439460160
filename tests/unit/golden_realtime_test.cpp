// The golden Realtime server events (testing/golden/realtime/, hand-written from openai-python and
// openai-node; see the README there) read with the client's parsers: what the real server sends
// must give the client the values it acts on.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "calrt/realtime/server_events.hpp"

namespace calrt::realtime {
namespace {

using nlohmann::json;

std::string golden_text(const std::string& name) {
    std::ifstream in(std::string(CALRT_SOURCE_DIR) + "/testing/golden/realtime/" + name + ".json");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

ServerEvent golden(const std::string& name) {
    auto event = parse_server_event(golden_text(name));
    if (!event) throw std::runtime_error("golden " + name + " does not parse");
    return *event;
}

TEST(GoldenRealtimeTest, EveryGoldenParsesAsTheEventItIsNamedFor) {
    for (const std::string name :
         {"response.function_call_arguments.done", "response.output_item.done.function_call.completed",
          "response.output_item.done.function_call.incomplete", "response.done.completed",
          "response.done.cancelled.turn_detected", "input_audio_buffer.speech_started",
          "input_audio_buffer.speech_stopped", "input_audio_buffer.committed",
          "conversation.item.added", "error.conversation_already_has_active_response",
          "error.cannot_update_voice", "session.updated"}) {
        const auto event = parse_server_event(golden_text(name));
        ASSERT_TRUE(event) << name;
        EXPECT_EQ(name.rfind(event->type, 0), 0u) << name << " parsed as " << event->type;
    }
}

TEST(GoldenRealtimeTest, FunctionCallArgumentsDoneGivesTheCall) {
    const auto call = completed_function_call(golden("response.function_call_arguments.done"));
    ASSERT_TRUE(call);
    EXPECT_EQ(call->call_id, "call_Xy7kP2qL9mN4vB1c");
    EXPECT_EQ(call->name, "book_meeting");
    EXPECT_EQ(call->response_id, "resp_CfQ2lJ8dK3pX0wYbN5uAe");
    EXPECT_EQ(json::parse(call->arguments),
              (json{{"event_type", "30 minute intro call"}, {"start_time", "2030-01-31T15:00:00Z"}}));
}

TEST(GoldenRealtimeTest, OutputItemDoneOfACompletedCallGivesTheSameCall) {
    const auto event = golden("response.output_item.done.function_call.completed");
    const auto call = completed_function_call(event);
    ASSERT_TRUE(call);
    const auto announced = completed_function_call(golden("response.function_call_arguments.done"));
    EXPECT_EQ(call->call_id, announced->call_id);
    EXPECT_EQ(call->name, announced->name);
    EXPECT_EQ(call->arguments, announced->arguments);
    EXPECT_EQ(call->response_id, announced->response_id);
    EXPECT_EQ(event.body["item"]["status"], "completed");
}

TEST(GoldenRealtimeTest, OutputItemDoneOfAnInterruptedCallCarriesItsPartialArgumentsAndStatus) {
    // "Also emitted when a Response is interrupted, incomplete, or cancelled": the arguments are
    // cut off and are not JSON; the item's status says so.
    const auto event = golden("response.output_item.done.function_call.incomplete");
    EXPECT_EQ(event.body["item"]["status"], "incomplete");
    const auto call = completed_function_call(event);
    if (call) {
        EXPECT_EQ(call->call_id, "call_Qm3nR8sT1uV6wX2y");
        EXPECT_TRUE(json::parse(call->arguments, nullptr, false).is_discarded());
    }
}

TEST(GoldenRealtimeTest, ResponseDoneCompletedGivesItsStatusAndCalls) {
    const auto event = golden("response.done.completed");
    const auto done = response_done(event);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->response_id, "resp_CfQ2lJ8dK3pX0wYbN5uAe");
    EXPECT_EQ(done->status, "completed");
    const auto calls = function_calls_in_response(event);
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].call_id, "call_Xy7kP2qL9mN4vB1c");
    EXPECT_EQ(calls[0].name, "book_meeting");
    EXPECT_EQ(calls[0].response_id, "resp_CfQ2lJ8dK3pX0wYbN5uAe");
}

TEST(GoldenRealtimeTest, ResponseDoneCancelledByTurnDetectionGivesItsStatusAndReason) {
    const auto event = golden("response.done.cancelled.turn_detected");
    const auto done = response_done(event);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->response_id, "resp_CfQ3Zk1mN3oP5qR7sT9uV");
    EXPECT_EQ(done->status, "cancelled");
    EXPECT_EQ(event.body["response"]["status_details"]["reason"], "turn_detected");
    EXPECT_EQ(event.body["response"]["output"][0]["status"], "incomplete");
}

TEST(GoldenRealtimeTest, ActiveResponseRefusalGivesItsCode) {
    const auto error = upstream_error(golden("error.conversation_already_has_active_response"));
    ASSERT_TRUE(error);
    EXPECT_EQ(error->type, "invalid_request_error");
    EXPECT_EQ(error->code, "conversation_already_has_active_response");
    EXPECT_NE(error->message.find("resp_CdulSkgwnvcvHPA8FsqBM"), std::string::npos);
    EXPECT_EQ(error->event_id, "");  // null in the observed payload
}

TEST(GoldenRealtimeTest, VoiceRefusalGivesItsCode) {
    const auto error = upstream_error(golden("error.cannot_update_voice"));
    ASSERT_TRUE(error);
    EXPECT_EQ(error->type, "invalid_request_error");
    EXPECT_EQ(error->code, "cannot_update_voice");
    EXPECT_EQ(error->message, "Cannot update a conversation's voice if assistant audio is present.");
}

TEST(GoldenRealtimeTest, EventsTheClientDoesNotActOnAreNoCallsResponsesOrErrors) {
    for (const std::string name :
         {"input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped",
          "input_audio_buffer.committed", "conversation.item.added", "session.updated"}) {
        const auto event = golden(name);
        EXPECT_FALSE(completed_function_call(event)) << name;
        EXPECT_FALSE(response_done(event)) << name;
        EXPECT_FALSE(upstream_error(event)) << name;
        EXPECT_FALSE(assistant_text_delta(event)) << name;
    }
    EXPECT_EQ(golden("input_audio_buffer.speech_started").body["audio_start_ms"], 1200);
    EXPECT_EQ(golden("input_audio_buffer.speech_stopped").body["item_id"],
              golden("input_audio_buffer.committed").body["item_id"]);
    EXPECT_EQ(golden("session.updated").body["session"]["audio"]["input"]["turn_detection"]["type"],
              "server_vad");
}

}  // namespace
}  // namespace calrt::realtime
