// The function-call bookkeeping: each call once, one response.create per response with calls, sent
// only after the response is done and all its outputs are out.
#include "calrt/realtime/function_call_ledger.hpp"

#include <gtest/gtest.h>

namespace calrt::realtime {
namespace {

FunctionCall call(std::string call_id, std::string response_id = "r1") {
    return FunctionCall{std::move(call_id), "tool", "{}", std::move(response_id)};
}

TEST(FunctionCallLedger, RunsEachCallOnceHoweverOftenItIsAnnounced) {
    FunctionCallLedger ledger;
    EXPECT_TRUE(ledger.announce(call("c1")));
    EXPECT_FALSE(ledger.announce(call("c1")));  // response.output_item.done
    EXPECT_FALSE(ledger.announce(call("c1")));  // response.done's output
    EXPECT_EQ(ledger.running_calls(), 1u);
}

TEST(FunctionCallLedger, ContinuesOnceAllOutputsAreSentAndTheResponseIsDone) {
    FunctionCallLedger ledger;
    ledger.announce(call("c1"));
    ledger.announce(call("c2"));
    EXPECT_FALSE(ledger.call_finished("c1"));
    EXPECT_FALSE(ledger.call_finished("c2"));  // response still in progress
    EXPECT_TRUE(ledger.response_done("r1", "completed"));
    EXPECT_FALSE(ledger.response_done("r1", "completed"));  // once only
}

TEST(FunctionCallLedger, ContinuesWhenTheLastOutputFollowsResponseDone) {
    FunctionCallLedger ledger;
    ledger.announce(call("c1"));
    ledger.announce(call("c2"));
    EXPECT_FALSE(ledger.response_done("r1", "completed"));
    EXPECT_FALSE(ledger.call_finished("c2"));
    EXPECT_TRUE(ledger.call_finished("c1"));
    EXPECT_FALSE(ledger.call_finished("c1"));
}

TEST(FunctionCallLedger, DoesNotContinueACancelledResponse) {
    FunctionCallLedger ledger;
    ledger.announce(call("c1"));
    EXPECT_FALSE(ledger.response_done("r1", "cancelled"));
    EXPECT_FALSE(ledger.call_finished("c1"));
}

TEST(FunctionCallLedger, AResponseWithoutCallsDoesNotContinue) {
    FunctionCallLedger ledger;
    EXPECT_FALSE(ledger.response_done("r9", "completed"));
}

TEST(FunctionCallLedger, KeepsResponsesApart) {
    FunctionCallLedger ledger;
    ledger.announce(call("c1", "r1"));
    ledger.announce(call("c2", "r2"));
    ledger.response_done("r1", "completed");
    ledger.response_done("r2", "completed");
    EXPECT_TRUE(ledger.call_finished("c2"));
    EXPECT_TRUE(ledger.call_finished("c1"));
}

}  // namespace
}  // namespace calrt::realtime
