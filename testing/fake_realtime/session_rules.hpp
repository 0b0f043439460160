#pragma once
// What the fake Realtime server accepts in a session.update, as strictly as the real one, and how
// an accepted update changes the session (research/openai.md §1, §3, §6, §7).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace calrt::testing {

struct SessionRefusal {
    std::string code;
    std::string message;
    nlohmann::json param = nullptr;  // the offending field's path, or null
};

// Why the real server would refuse `update` (a session.update's "session"), or nullopt:
// - no "type": "realtime" (missing_required_parameter);
// - a key the GA session does not have, at the top level, in audio.input/.output or in
//   turn_detection, e.g. a server_vad-only key (threshold, prefix_padding_ms,
//   silence_duration_ms, idle_timeout_ms) on semantic_vad: unknown_parameter, "Unknown parameter:
//   'session.audio.input.turn_detection.threshold'." (research/openai.md §7, observed);
// - a turn_detection type other than server_vad and semantic_vad (invalid_value);
// - audio.output.voice once the session has produced output audio: cannot_update_voice,
//   "Cannot update a conversation's voice if assistant audio is present." (research/openai.md §3,
//   §6). The fake refuses even the same voice again (the real server's answer to that is not
//   documented).
// A refused update changes nothing (research/openai.md §3: the whole update is rejected).
std::optional<SessionRefusal> session_update_refusal(const nlohmann::json& update,
                                                     bool output_audio_sent);

// Applies an accepted `update` to `session`: fields present replace or merge into the session's,
// but a turn_detection object replaces the old one wholesale (switching type drops the other
// type's settings; research/openai.md §7 advises sending it whole) and null turns it off.
void apply_session_update(nlohmann::json& session, const nlohmann::json& update);

}  // namespace calrt::testing
