#include "testing/fake_realtime/session_rules.hpp"

#include <set>
#include <string_view>

#include "testing/fake_realtime/voice_activity.hpp"

namespace calrt::testing {

using nlohmann::json;

namespace {

using KeySet = std::set<std::string, std::less<>>;

// RealtimeSessionCreateRequest's fields (openai-python realtime_session_create_request.py;
// research/openai.md §1.2).
const KeySet kSessionKeys = {"type",         "model",         "instructions", "output_modalities",
                             "audio",        "tools",         "tool_choice",  "max_output_tokens",
                             "reasoning",    "include",       "prompt",       "tracing",
                             "truncation",   "parallel_tool_calls"};
const KeySet kAudioKeys = {"input", "output"};
// realtime_audio_config_input.py / realtime_audio_config_output.py (research/openai.md §1.3).
const KeySet kAudioInputKeys = {"format", "noise_reduction", "transcription", "turn_detection"};
const KeySet kAudioOutputKeys = {"format", "speed", "voice"};
// realtime_audio_input_turn_detection.py: ServerVad and SemanticVad (research/openai.md §1.4).
const KeySet kServerVadKeys = {"type",           "threshold",       "prefix_padding_ms",
                               "silence_duration_ms", "idle_timeout_ms", "create_response",
                               "interrupt_response"};
const KeySet kSemanticVadKeys = {"type", "eagerness", "create_response", "interrupt_response"};

SessionRefusal unknown_parameter(const std::string& path) {
    return {"unknown_parameter", "Unknown parameter: '" + path + "'.", path};
}

// The first key of `object` outside `known`, as a refusal naming `path`.<key>.
std::optional<SessionRefusal> unknown_key(const json& object, const KeySet& known,
                                          const std::string& path) {
    if (!object.is_object()) return std::nullopt;
    for (const auto& [key, value] : object.items()) {
        if (!known.contains(key)) return unknown_parameter(path + "." + key);
    }
    return std::nullopt;
}

std::optional<SessionRefusal> turn_detection_refusal(const json& turn_detection) {
    constexpr std::string_view kPath = "session.audio.input.turn_detection";
    if (turn_detection.is_null()) return std::nullopt;
    if (!turn_detection.is_object())
        return SessionRefusal{"invalid_type",
                              "Invalid type for '" + std::string(kPath) +
                                  "': expected an object, but got a " +
                                  turn_detection.type_name() + " instead.",
                              std::string(kPath)};
    const std::string type = turn_detection.value("type", "");
    if (type == "server_vad") return unknown_key(turn_detection, kServerVadKeys, std::string(kPath));
    if (type == "semantic_vad")
        return unknown_key(turn_detection, kSemanticVadKeys, std::string(kPath));
    return SessionRefusal{"invalid_value",
                          "Invalid value: '" + type +
                              "'. Supported values are: 'server_vad' and 'semantic_vad'.",
                          std::string(kPath) + ".type"};
}

}  // namespace

std::optional<SessionRefusal> session_update_refusal(const json& update, bool output_audio_sent) {
    if (!update.is_object() || update.value("type", "") != "realtime")
        return SessionRefusal{"missing_required_parameter",
                              "Missing required parameter: 'session.type'.", "session.type"};
    if (auto refusal = unknown_key(update, kSessionKeys, "session")) return refusal;
    const json* audio = update.contains("audio") ? &update["audio"] : nullptr;
    if (audio == nullptr || !audio->is_object()) return std::nullopt;
    if (auto refusal = unknown_key(*audio, kAudioKeys, "session.audio")) return refusal;
    if (audio->contains("input")) {
        const json& input = (*audio)["input"];
        if (auto refusal = unknown_key(input, kAudioInputKeys, "session.audio.input"))
            return refusal;
        if (input.is_object() && input.contains("turn_detection")) {
            if (auto refusal = turn_detection_refusal(input["turn_detection"])) return refusal;
        }
    }
    if (audio->contains("output")) {
        const json& output = (*audio)["output"];
        if (auto refusal = unknown_key(output, kAudioOutputKeys, "session.audio.output"))
            return refusal;
        if (output_audio_sent && output.is_object() && output.contains("voice"))
            return SessionRefusal{"cannot_update_voice",
                                  "Cannot update a conversation's voice if assistant audio is "
                                  "present.",
                                  nullptr};
    }
    return std::nullopt;
}

void apply_session_update(json& session, const json& update) {
    // merge_patch deletes a key set to null; the session must show null (turned off) instead.
    const json::json_pointer turn_detection("/audio/input/turn_detection");
    const bool replaces_turn_detection = update.contains(turn_detection);
    session.merge_patch(update);
    if (replaces_turn_detection)
        session[turn_detection] = effective_turn_detection(update[turn_detection]);
}

}  // namespace calrt::testing
