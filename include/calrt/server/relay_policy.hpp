#pragma once
// What the relay lets a browser send upstream to the Realtime session (OpenAI Realtime GA client
// events, platform.openai.com/docs/api-reference/realtime-client-events). The server owns the
// session's instructions and tools: a browser may stream audio, add its own user messages, ask for
// and cancel responses and truncate what it has heard, and change only the voice, the turn
// detection and whether answers are spoken or written. Everything else is answered with an error event and never reaches OpenAI.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

namespace calrt::server {

// The event to send upstream as it is. When `text` is set, those are the browser's own bytes,
// checked without being parsed (audio, the bulk of a session's events: flat_json.hpp), to go up
// unchanged; `event` then holds only what the session budget needs (type and audio).
struct ForwardEvent {
    nlohmann::json event;
    std::string text{};
};

// A browser session.update to send on: `changes` is a session object holding "type" and only what
// the browser may change and actually changes. The API updates only the fields present ("Only the
// fields that are present in the session.update are updated", openai-python
// session_update_event.py), so instructions and tools stay the server's, and a voice already in
// force is not named again: once the model has spoken, the API refuses any update naming the voice
// (cannot_update_voice) and with it everything else in that update.
struct UpdateSession {
    nlohmann::json changes;
    std::string event_id;  // the browser's, when it gave one
};

// The error event to send down instead.
struct RefuseEvent {
    nlohmann::json error_event;
};

using BrowserEventDecision = std::variant<ForwardEvent, UpdateSession, RefuseEvent>;

// Decides what to do with one browser message; `session_config` is the session object in force
// upstream (what the last session.updated said; RealtimeSession::session_config() before that).
BrowserEventDecision decide_browser_event(std::string_view text,
                                          const nlohmann::json& session_config);

// Takes into `session_config` what a browser may change (output_modalities, audio.output.voice,
// audio.input.turn_detection) as the server says it is in force: the session object of a
// session.updated event. An update the server refused never produces one, so it never lands here.
void adopt_server_session(nlohmann::json& session_config, const nlohmann::json& server_session);

// {"type":"error","error":{"type":"invalid_request_error","code":code,"message":message
//  [, "event_id"]}}: the shape of the API's own error events, so the page handles both alike.
nlohmann::json relay_error_event(std::string_view code, std::string_view message,
                                 std::string_view event_id = {});

}  // namespace calrt::server
