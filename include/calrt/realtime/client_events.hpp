#pragma once
// Client events of OpenAI's Realtime API, GA interface (platform.openai.com/docs/api-reference/
// realtime-client-events). Not the beta: no "OpenAI-Beta" header, "output_modalities" instead of
// "modalities", audio settings under "audio.input"/"audio.output", session "type": "realtime".

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::realtime {

// How the server tells when the person has finished speaking (session.audio.input.turn_detection,
// openai-python realtime_audio_input_turn_detection.py): "server_vad" (by silence), "semantic_vad"
// (by what was said, as eager as `eagerness`: "low", "medium", "high" or "auto"), or "none" (the
// client commits the audio and asks for responses itself). Both VAD types create a response when
// the person stops and cancel the one in progress when they start (create_response and
// interrupt_response default to true).
struct TurnDetection {
    std::string type = "server_vad";
    std::string eagerness;  // semantic_vad only; empty: the server's default ("auto")

    // The session's turn_detection object, or null for "none".
    nlohmann::json to_json() const;
};

struct SessionConfig {
    std::string instructions;
    // ["audio"] (speech plus its transcript) or ["text"]; the GA API takes one of the two, not
    // both.
    std::vector<std::string> output_modalities{"audio"};
    std::string voice = "marin";
    nlohmann::json tools = nlohmann::json::array();  // ToolRegistry::specs()
    std::string tool_choice = "auto";
    TurnDetection turn_detection{};
    // session.reasoning.effort ("minimal", "low", "medium", "high", "xhigh") for models that reason
    // (gpt-realtime-2 and later; openai-python realtime_reasoning.py); empty: not sent.
    std::string reasoning_effort{};
};

// {"type":"session.update","session":{"type":"realtime","instructions","output_modalities",
//   "audio":{"input":{"format":{"type":"audio/pcm","rate":24000},
//                     "turn_detection":{"type":"server_vad"}},
//            "output":{"format":{"type":"audio/pcm","rate":24000},"voice"}},
//   "tools","tool_choice"[,"reasoning":{"effort"}]}}
// audio.output is sent only when audio output is asked for.
nlohmann::json session_update(const SessionConfig& config);

// Whether `model` takes session.reasoning: the reasoning Realtime models, gpt-realtime-2 and its
// successors ("Configuration for reasoning-capable Realtime models such as gpt-realtime-2",
// openai-python realtime_session_create_request.py).
bool model_takes_reasoning(std::string_view model);

// conversation.item.create with a user message of one input_text part.
nlohmann::json user_text_message(std::string_view text);

// conversation.item.create {"item":{"type":"function_call_output","call_id","output"}}, where
// output is `result` serialized: the API takes the output as a string.
nlohmann::json function_call_output(std::string_view call_id, const nlohmann::json& result);

// response.create with no overrides: the model answers with the session's settings.
nlohmann::json response_create();

// The function_call_output for a call of a tool with an effect that was not run because its
// response was cancelled (the person interrupted): the model must not believe it happened.
nlohmann::json call_not_run_output(std::string_view call_id);

}  // namespace calrt::realtime
