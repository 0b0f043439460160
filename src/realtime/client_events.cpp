#include "calrt/realtime/client_events.hpp"

#include <algorithm>

namespace calrt::realtime {

using nlohmann::json;

namespace {

// GA audio format: 16-bit PCM at 24 kHz, the only rate the API takes for audio/pcm.
json pcm_24khz() { return {{"type", "audio/pcm"}, {"rate", 24000}}; }

}  // namespace

json session_update(const SessionConfig& config) {
    json audio = {
        {"input", {{"format", pcm_24khz()}, {"turn_detection", {{"type", "server_vad"}}}}}};
    const bool speaks = std::find(config.output_modalities.begin(), config.output_modalities.end(),
                                  "audio") != config.output_modalities.end();
    if (speaks) audio["output"] = {{"format", pcm_24khz()}, {"voice", config.voice}};
    return {{"type", "session.update"},
            {"session",
             {{"type", "realtime"},
              {"instructions", config.instructions},
              {"output_modalities", config.output_modalities},
              {"audio", std::move(audio)},
              {"tools", config.tools},
              {"tool_choice", config.tool_choice}}}};
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

}  // namespace calrt::realtime
