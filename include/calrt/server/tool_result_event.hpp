#pragma once
// The relay's own server event for the page (docs/api.md, "calrt.tool_result"): one tool call's
// name, arguments and structured result, so the page can draw what the tools found (slot pickers,
// meeting type cards, booking cards) instead of parsing the assistant's sentences.

#include <nlohmann/json.hpp>

#include "calrt/realtime/realtime_observer.hpp"

namespace calrt::server {

// {"type":"calrt.tool_result","call_id","name","arguments":{…},"result":{…}}. `arguments` is the
// model's JSON text parsed; {} when it is not a JSON object (the tool then answered with an error
// result, which `result` carries). `result` is exactly what went upstream as the function output.
nlohmann::json tool_result_event(const realtime::ToolCallInfo& call, const nlohmann::json& result);

}  // namespace calrt::server
