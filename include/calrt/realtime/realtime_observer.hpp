#pragma once
// What a RealtimeSession reports to whoever shows the conversation: the WebSocket relay forwards
// server events to the browser, the terminal chat prints text and tool activity. Called on the
// session's strand, in order; implementations must not block (queue work, e.g. WebSocket::send).

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"
#include "calrt/realtime/server_events.hpp"

namespace calrt::realtime {

struct ToolCallInfo {
    std::string call_id;
    std::string name;
    std::string response_id;
    std::string arguments;  // the model's JSON text, as it wrote it (may not be valid JSON)
};

class RealtimeObserver {
  public:
    virtual ~RealtimeObserver() = default;

    // Every server event, as received (raw JSON text), before the session acts on it.
    virtual void on_server_event(std::string_view /*type*/, std::string_view /*raw_json*/) {}

    // A function call is about to run (once per call_id).
    virtual void on_tool_started(const ToolCallInfo& /*call*/) {}

    // Its result (possibly an error result) is about to go upstream as function_call_output.
    // `output` may hold personal data: do not log it at info level.
    virtual void on_tool_finished(const ToolCallInfo& /*call*/, const nlohmann::json& /*output*/,
                                  std::chrono::milliseconds /*took*/) {}

    // An "error" event from the API (also passed to on_server_event).
    virtual void on_upstream_error(const UpstreamError& /*error*/) {}

    // The session is over; `reason` says why (see RealtimeSession::run).
    virtual void on_session_ended(const Error& /*reason*/) {}
};

}  // namespace calrt::realtime
