#pragma once
// Client events of OpenAI's Realtime API, GA interface (platform.openai.com/docs/api-reference/
// realtime-client-events). Not the beta: no "OpenAI-Beta" header, "output_modalities" instead of
// "modalities", audio settings under "audio.input"/"audio.output", session "type": "realtime".

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::realtime {

struct SessionConfig {
    std::string instructions;
    // ["audio"] (speech plus its transcript) or ["text"]; the GA API takes one of the two, not
    // both.
    std::vector<std::string> output_modalities{"audio"};
    std::string voice = "marin";
    nlohmann::json tools = nlohmann::json::array();  // ToolRegistry::specs()
    std::string tool_choice = "auto";
};

// {"type":"session.update","session":{"type":"realtime","instructions","output_modalities",
//   "audio":{"input":{"format":{"type":"audio/pcm","rate":24000},
//                     "turn_detection":{"type":"server_vad"}},
//            "output":{"format":{"type":"audio/pcm","rate":24000},"voice"}},
//   "tools","tool_choice"}}
// audio.output is sent only when audio output is asked for.
nlohmann::json session_update(const SessionConfig& config);

// conversation.item.create with a user message of one input_text part.
nlohmann::json user_text_message(std::string_view text);

// conversation.item.create {"item":{"type":"function_call_output","call_id","output"}}, where
// output is `result` serialized: the API takes the output as a string.
nlohmann::json function_call_output(std::string_view call_id, const nlohmann::json& result);

// response.create with no overrides: the model answers with the session's settings.
nlohmann::json response_create();

}  // namespace calrt::realtime
