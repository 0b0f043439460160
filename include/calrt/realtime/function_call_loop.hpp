#pragma once
// The function-call loop of one Realtime session, as the real server orders its events, without
// any I/O: which announced calls to run and when, and when to ask the model to go on.
//
// What the server does (openai-python src/openai/types/realtime/; docs/architecture.md "Voice
// turns" has the sources):
// - It announces each call up to three times: response.function_call_arguments.done,
//   response.output_item.done (with the item's `status`) and response.done's output. All three are
//   "also emitted when a Response is interrupted, incomplete, or cancelled".
// - With server_vad or semantic_vad (create_response and interrupt_response default to true) it
//   creates responses by itself when the person stops speaking, and cancels the one in progress
//   when the person starts (response.done, status "cancelled", status_details.reason
//   "turn_detected").
// - It refuses a response.create while a response is active
//   (conversation_already_has_active_response), and a function_call_output does not start a
//   response by itself.
//
// So:
// - A call runs once. A read-only call runs as soon as its item is known to be whole
//   (output_item.done "completed", or response.done); an item "incomplete" never runs. A call
//   of a tool with an effect (ToolSpec::has_effect) runs only once its response is done and was
//   neither cancelled nor failed: a person who says "no, wait" gets no booking. Such a call that
//   is not run is answered with a "not run" output, so the model does not believe it happened.
// - After the calls of a response that was not cancelled have all sent their outputs, the model
//   owes the person an answer: a continuation. A response the server creates after it added
//   every one of those outputs to the conversation pays it (it sees them); otherwise, once no
//   response is active or requested, one response.create is sent, and sent again if the server
//   refuses it because a response became active meanwhile.

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "calrt/realtime/server_events.hpp"

namespace calrt::realtime {

class FunctionCallLoop {
  public:
    // `has_effect(tool name)`: whether the tool changes something outside the conversation.
    explicit FunctionCallLoop(std::function<bool(std::string_view)> has_effect);

    struct Steps {
        std::vector<FunctionCall> run;      // start these tools now
        std::vector<FunctionCall> not_run;  // answer with a "not run" output: their response was cancelled
        bool request_response = false;      // send one response.create now (and report it)
    };

    // Every server event the session reads, in order.
    Steps on_server_event(const ServerEvent& event);
    // The output of a call that Steps::run named has gone out.
    Steps output_sent(std::string_view call_id);
    // A response.create went out with this event_id: the one Steps::request_response asked for
    // (`continuation`), or anyone else's.
    void response_requested(std::string event_id, bool continuation);

    // No response active or requested, no call waiting or running and no continuation owed: what
    // the application adds on its own may go out without overtaking or colliding with anything.
    bool idle() const;
    std::size_t running_calls() const noexcept { return running_.size(); }

  private:
    struct ResponseCalls {
        std::vector<std::string> ran;  // call_ids started, for the continuation
        std::size_t running = 0;
        bool done = false;
        bool went_through = false;  // done and neither cancelled nor failed
    };

    void announce(FunctionCall call, bool response_finished, bool response_went_through, Steps& steps);
    void start(FunctionCall call, Steps& steps);
    void settle(const std::string& response_id);
    void response_created();
    void request_refused(std::string_view event_id, std::string_view code);
    bool may_request() const;
    Steps finish(Steps steps);

    std::function<bool(std::string_view)> has_effect_;
    std::set<std::string, std::less<>> decided_;                  // call_ids run or not run
    std::map<std::string, FunctionCall, std::less<>> waiting_;    // announced, not decided yet
    std::map<std::string, std::string, std::less<>> running_;     // call_id -> response_id
    std::map<std::string, ResponseCalls, std::less<>> responses_;  // responses with calls
    bool response_active_ = false;
    std::deque<std::string> requested_;  // response.create event_ids not yet answered
    std::set<std::string, std::less<>> outputs_added_;  // call_ids the server has in the conversation
    // The continuation: outputs a new response must see. `owed_` while it is not paid.
    std::vector<std::string> owed_outputs_;
    bool owed_ = false;
    // The response.create sent for the continuation, while the server may still refuse it.
    std::string continuation_request_;
    bool paid_by_request_only_ = false;  // its response.created paid, but the outputs were not seen added
};

}  // namespace calrt::realtime
