#include "calrt/server/tool_result_event.hpp"

namespace calrt::server {

nlohmann::json tool_result_event(const realtime::ToolCallInfo& call, const nlohmann::json& result) {
    // The model may write anything as arguments; a page should not have to guess what it gets.
    auto arguments = nlohmann::json::parse(call.arguments, nullptr, /*allow_exceptions=*/false);
    if (!arguments.is_object()) arguments = nlohmann::json::object();
    return {{"type", "calrt.tool_result"},
            {"call_id", call.call_id},
            {"name", call.name},
            {"arguments", std::move(arguments)},
            {"result", result}};
}

}  // namespace calrt::server
