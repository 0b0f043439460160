// The function-call loop under the orderings a Realtime server with voice activity detection
// produces: calls announced three times, responses the server creates and cancels by itself, and
// refused response.create.
#include "calrt/realtime/function_call_loop.hpp"

#include <gtest/gtest.h>

namespace calrt::realtime {
namespace {

using nlohmann::json;

ServerEvent event(json body) { return ServerEvent{body["type"].get<std::string>(), std::move(body)}; }

json call_item(const std::string& call_id, const std::string& name, const std::string& status) {
    return {{"type", "function_call"}, {"id", "item_" + call_id}, {"call_id", call_id},
            {"name", name},            {"arguments", "{}"},        {"status", status}};
}

ServerEvent created(const std::string& response_id) {
    return event({{"type", "response.created"}, {"response", {{"id", response_id}, {"status", "in_progress"}}}});
}

ServerEvent arguments_done(const std::string& response_id, const std::string& call_id, const std::string& name) {
    return event({{"type", "response.function_call_arguments.done"}, {"response_id", response_id},
                  {"item_id", "item_" + call_id}, {"call_id", call_id}, {"name", name}, {"arguments", "{}"}});
}

ServerEvent item_done(const std::string& response_id, const std::string& call_id, const std::string& name,
                      const std::string& status = "completed") {
    return event({{"type", "response.output_item.done"}, {"response_id", response_id}, {"output_index", 0},
                  {"item", call_item(call_id, name, status)}});
}

ServerEvent done(const std::string& response_id, const std::string& status, json output = json::array(),
                 const std::string& reason = "") {
    json response = {{"id", response_id}, {"status", status}, {"output", std::move(output)}};
    if (!reason.empty()) response["status_details"] = {{"type", status}, {"reason", reason}};
    return event({{"type", "response.done"}, {"response", std::move(response)}});
}

ServerEvent output_added(const std::string& call_id) {
    return event({{"type", "conversation.item.added"},
                  {"item", {{"type", "function_call_output"}, {"call_id", call_id}, {"output", "{}"}}}});
}

ServerEvent refused(const std::string& event_id) {
    return event({{"type", "error"},
                  {"error",
                   {{"type", "invalid_request_error"},
                    {"code", "conversation_already_has_active_response"},
                    {"message", "Conversation already has an active response in progress: resp_2."},
                    {"event_id", event_id}}}});
}

std::vector<std::string> ids(const std::vector<FunctionCall>& calls) {
    std::vector<std::string> out;
    for (const auto& call : calls) out.push_back(call.call_id);
    return out;
}

class FunctionCallLoopTest : public ::testing::Test {
  protected:
    FunctionCallLoop loop{[](std::string_view tool) { return tool == "book_meeting"; }};

    // A whole response calling `name` once, as the server streams it; the steps of each event.
    std::vector<FunctionCallLoop::Steps> respond_with_call(const std::string& response_id,
                                                           const std::string& call_id,
                                                           const std::string& name) {
        std::vector<FunctionCallLoop::Steps> steps;
        steps.push_back(loop.on_server_event(created(response_id)));
        steps.push_back(loop.on_server_event(arguments_done(response_id, call_id, name)));
        steps.push_back(loop.on_server_event(item_done(response_id, call_id, name)));
        steps.push_back(loop.on_server_event(
            done(response_id, "completed", json::array({call_item(call_id, name, "completed")}))));
        return steps;
    }
};

TEST_F(FunctionCallLoopTest, ReadOnlyCallRunsOnceAsSoonAsItsItemIsComplete) {
    EXPECT_TRUE(loop.on_server_event(created("resp_1")).run.empty());
    EXPECT_TRUE(loop.on_server_event(arguments_done("resp_1", "call_1", "lookup")).run.empty());
    EXPECT_EQ(ids(loop.on_server_event(item_done("resp_1", "call_1", "lookup")).run),
              std::vector<std::string>{"call_1"});
    const auto at_done = loop.on_server_event(
        done("resp_1", "completed", json::array({call_item("call_1", "lookup", "completed")})));
    EXPECT_TRUE(at_done.run.empty());
    EXPECT_FALSE(at_done.request_response);  // its output is not out yet
    EXPECT_EQ(loop.running_calls(), 1u);
}

TEST_F(FunctionCallLoopTest, CallWithAnEffectRunsOnlyWhenItsResponseIsDone) {
    const auto steps = respond_with_call("resp_1", "call_1", "book_meeting");
    EXPECT_TRUE(steps[1].run.empty());
    EXPECT_TRUE(steps[2].run.empty());  // the item is whole, but the response may still be cancelled
    EXPECT_EQ(ids(steps[3].run), std::vector<std::string>{"call_1"});
}

TEST_F(FunctionCallLoopTest, CallWithAnEffectIsNotRunWhenThePersonInterrupts) {
    loop.on_server_event(created("resp_1"));
    loop.on_server_event(arguments_done("resp_1", "call_1", "book_meeting"));
    EXPECT_TRUE(loop.on_server_event(item_done("resp_1", "call_1", "book_meeting")).run.empty());
    const auto steps = loop.on_server_event(done(
        "resp_1", "cancelled", json::array({call_item("call_1", "book_meeting", "completed")}), "turn_detected"));
    EXPECT_TRUE(steps.run.empty());
    EXPECT_EQ(ids(steps.not_run), std::vector<std::string>{"call_1"});
    EXPECT_FALSE(steps.request_response);
    EXPECT_TRUE(loop.idle());
}

TEST_F(FunctionCallLoopTest, IncompleteItemNeverRunsWhateverItsTool) {
    loop.on_server_event(created("resp_1"));
    EXPECT_TRUE(loop.on_server_event(arguments_done("resp_1", "call_1", "lookup")).run.empty());
    EXPECT_TRUE(loop.on_server_event(item_done("resp_1", "call_1", "lookup", "incomplete")).run.empty());
    loop.on_server_event(arguments_done("resp_1", "call_2", "book_meeting"));
    loop.on_server_event(item_done("resp_1", "call_2", "book_meeting", "incomplete"));
    const auto steps = loop.on_server_event(
        done("resp_1", "cancelled",
             json::array({call_item("call_1", "lookup", "incomplete"),
                          call_item("call_2", "book_meeting", "incomplete")}),
             "turn_detected"));
    EXPECT_TRUE(steps.run.empty());
    EXPECT_TRUE(steps.not_run.empty());  // an incomplete item has nothing to answer
    EXPECT_TRUE(loop.idle());
}

TEST_F(FunctionCallLoopTest, CallAnnouncedOnlyByArgumentsDoneRunsAtResponseDone) {
    loop.on_server_event(created("resp_1"));
    loop.on_server_event(arguments_done("resp_1", "call_1", "lookup"));
    EXPECT_EQ(ids(loop.on_server_event(done("resp_1", "completed")).run), std::vector<std::string>{"call_1"});
}

TEST_F(FunctionCallLoopTest, AsksTheModelToGoOnOnceOutputsAreOutAndTheResponseIsDone) {
    respond_with_call("resp_1", "call_1", "lookup");
    const auto steps = loop.output_sent("call_1");
    EXPECT_TRUE(steps.request_response);
    loop.response_requested("cont_1", true);
    EXPECT_FALSE(loop.idle());
    loop.on_server_event(output_added("call_1"));
    EXPECT_FALSE(loop.on_server_event(created("resp_2")).request_response);
    EXPECT_FALSE(loop.on_server_event(done("resp_2", "completed")).request_response);
    EXPECT_TRUE(loop.idle());
}

TEST_F(FunctionCallLoopTest, CancelledResponseGetsItsOutputsButNoContinuation) {
    loop.on_server_event(created("resp_1"));
    EXPECT_EQ(ids(loop.on_server_event(item_done("resp_1", "call_1", "lookup")).run),
              std::vector<std::string>{"call_1"});
    loop.on_server_event(done("resp_1", "cancelled", json::array(), "turn_detected"));
    EXPECT_FALSE(loop.output_sent("call_1").request_response);
    EXPECT_TRUE(loop.idle());
}

TEST_F(FunctionCallLoopTest, WaitsWhileAResponseTheServerStartedIsActiveThenAsks) {
    respond_with_call("resp_1", "call_1", "lookup");
    // The person spoke while the tool ran: the server started a response before the output.
    loop.on_server_event(created("resp_2"));
    EXPECT_FALSE(loop.output_sent("call_1").request_response);
    loop.on_server_event(output_added("call_1"));  // after resp_2 began: resp_2 does not see it
    EXPECT_TRUE(loop.on_server_event(done("resp_2", "completed")).request_response);
}

TEST_F(FunctionCallLoopTest, ResponseTheServerStartsAfterTheOutputsWereAddedAnswersThem) {
    respond_with_call("resp_1", "call_1", "lookup");
    loop.on_server_event(created("resp_2"));  // the person is speaking over the tool
    EXPECT_FALSE(loop.output_sent("call_1").request_response);
    loop.on_server_event(output_added("call_1"));
    loop.on_server_event(done("resp_2", "cancelled", json::array(), "turn_detected"));
    // That request went out while nothing was active; the server made its own response first.
    loop.response_requested("cont_1", true);
    loop.on_server_event(created("resp_3"));  // sees the output: it pays
    EXPECT_FALSE(loop.on_server_event(refused("cont_1")).request_response);
    EXPECT_FALSE(loop.on_server_event(done("resp_3", "completed")).request_response);
    EXPECT_TRUE(loop.idle());
}

TEST_F(FunctionCallLoopTest, RefusedContinuationIsAskedForAgainWhenTheActiveResponseEnds) {
    respond_with_call("resp_1", "call_1", "lookup");
    ASSERT_TRUE(loop.output_sent("call_1").request_response);
    loop.response_requested("cont_1", true);
    // The server started a response of its own before reading ours (and before the output).
    loop.on_server_event(created("resp_2"));
    loop.on_server_event(output_added("call_1"));
    EXPECT_FALSE(loop.on_server_event(refused("cont_1")).request_response);
    const auto steps = loop.on_server_event(done("resp_2", "completed"));
    EXPECT_TRUE(steps.request_response);
}

TEST_F(FunctionCallLoopTest, RefusalWithoutTheEventIdStillCountsForTheOldestRequest) {
    respond_with_call("resp_1", "call_1", "lookup");
    ASSERT_TRUE(loop.output_sent("call_1").request_response);
    loop.response_requested("cont_1", true);
    loop.on_server_event(created("resp_2"));
    loop.on_server_event(refused(""));
    EXPECT_TRUE(loop.on_server_event(done("resp_2", "completed")).request_response);
}

TEST_F(FunctionCallLoopTest, ContinuationsOwnResponsePaysEvenWithoutItemEvents) {
    respond_with_call("resp_1", "call_1", "lookup");
    ASSERT_TRUE(loop.output_sent("call_1").request_response);
    loop.response_requested("cont_1", true);
    loop.on_server_event(created("resp_2"));
    EXPECT_FALSE(loop.on_server_event(done("resp_2", "completed")).request_response);
    EXPECT_TRUE(loop.idle());
}

TEST_F(FunctionCallLoopTest, NotIdleWhileARequestedResponseHasNotStarted) {
    loop.response_requested("browser_1", false);
    EXPECT_FALSE(loop.idle());
    loop.on_server_event(created("resp_1"));
    EXPECT_FALSE(loop.idle());
    loop.on_server_event(done("resp_1", "completed"));
    EXPECT_TRUE(loop.idle());
}

TEST_F(FunctionCallLoopTest, TwoCallsOfOneResponseContinueOnceAfterBoth) {
    loop.on_server_event(created("resp_1"));
    loop.on_server_event(item_done("resp_1", "call_1", "lookup"));
    loop.on_server_event(item_done("resp_1", "call_2", "lookup"));
    loop.on_server_event(done("resp_1", "completed"));
    EXPECT_FALSE(loop.output_sent("call_2").request_response);
    EXPECT_TRUE(loop.output_sent("call_1").request_response);
}

}  // namespace
}  // namespace calrt::realtime
