#include "calrt/realtime/client_events.hpp"

#include <algorithm>

namespace calrt::realtime {

using nlohmann::json;

namespace {

// GA audio format: 16-bit PCM at 24 kHz, the only rate the API takes for audio/pcm.
json pcm_24khz() { return {{"type", "audio/pcm"}, {"rate", 24000}}; }

}  // namespace

json TurnDetection::to_json() const {
    if (type == "none") return nullptr;
    json detection = {{"type", type}};
    if (type == "semantic_vad" && !eagerness.empty()) detection["eagerness"] = eagerness;
    return detection;
}

bool model_takes_reasoning(std::string_view model) {
    // gpt-realtime-2, gpt-realtime-2.1, gpt-realtime-2.1-mini, dated snapshots of them, and later
    // generations; not gpt-realtime, gpt-realtime-1.5 or the gpt-4o realtime previews.
    constexpr std::string_view prefix = "gpt-realtime-";
    if (!model.starts_with(prefix)) return false;
    const std::string_view version = model.substr(prefix.size());
    return !version.empty() && version.front() >= '2' && version.front() <= '9';
}

json session_update(const SessionConfig& config) {
    json audio = {
        {"input", {{"format", pcm_24khz()}, {"turn_detection", config.turn_detection.to_json()}}}};
    const bool speaks = std::find(config.output_modalities.begin(), config.output_modalities.end(),
                                  "audio") != config.output_modalities.end();
    if (speaks) audio["output"] = {{"format", pcm_24khz()}, {"voice", config.voice}};
    json update = {{"type", "session.update"},
            {"session",
             {{"type", "realtime"},
              {"instructions", config.instructions},
              {"output_modalities", config.output_modalities},
              {"audio", std::move(audio)},
              {"tools", config.tools},
              {"tool_choice", config.tool_choice}}}};
    if (!config.reasoning_effort.empty()) {
        update["session"]["reasoning"] = {{"effort", config.reasoning_effort}};
    }
    return update;
}

json user_text_message(std::string_view text) {
    return {{"type", "conversation.item.create"},
            {"item",
             {{"type", "message"},
              {"role", "user"},
              {"content", json::array({{{"type", "input_text"}, {"text", text}}})}}}};
}

json function_call_output(std::string_view call_id, const json& result) {
    return {{"type", "conversation.item.create"},
            {"item",
             {{"type", "function_call_output"},
              {"call_id", call_id},
              {"output", result.dump(-1, ' ', false, json::error_handler_t::replace)}}}};
}

json response_create() { return {{"type", "response.create"}}; }

json call_not_run_output(std::string_view call_id) {
    return function_call_output(
        call_id, {{"error",
                   {{"code", "not_run"},
                    {"message",
                     "This was not done: the person spoke before it went ahead, so nothing was "
                     "booked or changed. Answer what they said, and ask again before trying it."}}}});
}

}  // namespace calrt::realtime
