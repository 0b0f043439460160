#include "calrt/server/tool_result_event.hpp"

#include "calrt/core/json_nesting.hpp"

namespace calrt::server {

nlohmann::json tool_result_event(const realtime::ToolCallInfo& call, const nlohmann::json& result) {
    // The model may write anything as arguments; a page should not have to guess what it gets,
    // and the service must not render a document deep enough to exhaust the stack.
    auto arguments = json_nesting_within(call.arguments)
                         ? nlohmann::json::parse(call.arguments, nullptr, /*allow_exceptions=*/false)
                         : nlohmann::json();
    if (!arguments.is_object()) arguments = nlohmann::json::object();
    return {{"type", "calrt.tool_result"},
            {"call_id", call.call_id},
            {"name", call.name},
            {"arguments", std::move(arguments)},
            {"result", result}};
}

}  // namespace calrt::server
