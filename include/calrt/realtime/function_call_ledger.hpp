#pragma once
// Bookkeeping for the function-call loop of one Realtime session, without any I/O:
// - each call is run once, although the API announces it up to three times
//   (response.function_call_arguments.done, response.output_item.done, and response.done's output);
// - after a response's calls have all sent their outputs AND that response is done, the session
//   sends exactly one response.create. Waiting for response.done matters: while a response is still
//   in progress the API refuses response.create (conversation_already_has_active_response), and
//   outputs do not trigger a response by themselves ("Adding a function call output does not
//   automatically trigger another model response", OpenAI Realtime guide).
// - a response that ended "cancelled" (the user interrupted; with server VAD the API starts a new
//   response itself) gets its outputs but no response.create.

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "calrt/realtime/server_events.hpp"

namespace calrt::realtime {

class FunctionCallLedger {
  public:
    // True when `call` is new and should run; false for a repeated announcement.
    bool announce(const FunctionCall& call);

    // The output of `call_id` has been sent. True when it was the last one its done response was
    // waiting for: time for response.create.
    bool call_finished(std::string_view call_id);

    // response.done arrived. True when the response had calls and all their outputs are sent.
    bool response_done(std::string_view response_id, std::string_view status);

    std::size_t running_calls() const noexcept { return running_.size(); }

  private:
    struct ResponseCalls {
        std::size_t running = 0;
        bool done = false;
        bool cancelled = false;
    };
    bool ready(std::map<std::string, ResponseCalls, std::less<>>::iterator response);

    std::set<std::string, std::less<>> seen_;                      // every call_id announced
    std::map<std::string, std::string, std::less<>> running_;      // call_id -> response_id
    std::map<std::string, ResponseCalls, std::less<>> responses_;  // responses with calls
};

}  // namespace calrt::realtime
