#include "calrt/server/relay_policy.hpp"

#include "calrt/core/flat_json.hpp"

#include "calrt/core/json_nesting.hpp"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>

namespace calrt::server {
using nlohmann::json;

namespace {

// Deeper than any allowed event (conversation.item.create -> item -> content -> part is 4).
// Checked before parsing (tighter than the service-wide kMaxJsonNesting): copying, dumping and
// merge_patch of nlohmann::json recurse, so a message nested a few hundred thousand levels deep
// would exhaust an I/O thread's stack.
constexpr std::size_t kMaxNesting = 8;

// The text one user message may carry for the model to read, all its parts together (review N7:
// a 1 MiB input_text was one user item, billed as a quarter of a million input tokens). A person
// types a few sentences; 4 KiB is a page of English, over a thousand characters of CJK.
constexpr std::size_t kMaxUserTextBytes = 4 * 1024;

// Where a user message carries text: each part type's text field.
struct UserTextField {
    std::string_view part_type;
    const char* field;
};
constexpr UserTextField kUserTextFields[] = {{"input_text", "text"}, {"input_audio", "transcript"}};

using Keys = std::initializer_list<std::string_view>;

bool one_of(std::string_view key, Keys keys) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The first key of `object` not in `allowed`, or whose value is structured (an object or array)
// when only plain values may appear; nullopt when all are fine.
std::optional<std::string> unexpected_key(const json& object, Keys allowed) {
    for (const auto& [key, value] : object.items()) {
        if (!one_of(key, allowed) || value.is_structured()) return key;
    }
    return std::nullopt;
}

std::string string_field(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

RefuseEvent refuse(std::string_view message, std::string_view event_id) {
    return RefuseEvent{relay_error_event("event_not_allowed", message, event_id)};
}

// Forwarded as they are when they hold only these plain fields: the audio buffer, response
// cancellation and truncation of audio the person did not hear.
struct PassThrough {
    std::string_view type;
    Keys keys;
};
const PassThrough kPassThrough[] = {
    {"input_audio_buffer.append", {"type", "event_id", "audio"}},
    {"input_audio_buffer.commit", {"type", "event_id"}},
    {"input_audio_buffer.clear", {"type", "event_id"}},
    {"response.cancel", {"type", "event_id", "response_id"}},
    {"conversation.item.truncate", {"type", "event_id", "item_id", "content_index", "audio_end_ms"}},
};

// The API answers in one output modality: ["audio"] (with a transcript) or ["text"].
bool is_output_modalities(const json& value) {
    return value == json::array({"audio"}) || value == json::array({"text"});
}

// A user message whose parts are the user's own text or audio, and nothing else.
bool is_user_message_event(const json& event) {
    for (const auto& [key, value] : event.items()) {
        if (key == "item") continue;
        if (!one_of(key, {"type", "event_id", "previous_item_id"}) || value.is_structured())
            return false;
    }
    const auto item = event.find("item");
    if (item == event.end() || !item->is_object()) return false;
    if (string_field(*item, "type") != "message" || string_field(*item, "role") != "user") return false;
    for (const auto& [key, value] : item->items()) {
        if (key == "content") continue;
        if (!one_of(key, {"type", "role", "id"}) || value.is_structured()) return false;
    }
    const auto content = item->find("content");
    if (content == item->end() || !content->is_array() || content->empty()) return false;
    for (const auto& part : *content) {
        if (!part.is_object()) return false;
        const std::string type = string_field(part, "type");
        const bool known = (type == "input_text" && unexpected_key(part, {"type", "text"}) == std::nullopt) ||
                           (type == "input_audio" &&
                            unexpected_key(part, {"type", "audio", "transcript"}) == std::nullopt);
        if (!known) return false;
    }
    return true;
}

// The bytes of text in a user message (already checked by is_user_message_event).
std::size_t user_text_bytes(const json& event) {
    std::size_t bytes = 0;
    for (const auto& part : event["item"]["content"]) {
        const std::string type = string_field(part, "type");
        for (const auto& text : kUserTextFields) {
            if (text.part_type == type) bytes += string_field(part, text.field).size();
        }
    }
    return bytes;
}

// response.create may carry a "response" object that overrides the session for that response.
// Only the output modality may be chosen; instructions, tools, input items ("input" could add
// system messages), out-of-band conversations and the rest stay the server's.
bool is_allowed_response_create(const json& event) {
    for (const auto& [key, value] : event.items()) {
        if (key == "response") continue;
        if (!one_of(key, {"type", "event_id"}) || value.is_structured()) return false;
    }
    const auto response = event.find("response");
    if (response == event.end()) return true;
    if (!response->is_object()) return false;
    for (const auto& [key, value] : response->items()) {
        if (key != "output_modalities" || !is_output_modalities(value)) return false;
    }
    return true;
}

// Turn detection settings a page may tune (plain values only), per type: semantic_vad has none of
// server_vad's tuning fields and the API refuses them (openai-python
// realtime_audio_input_turn_detection.py). idle_timeout_ms is left out: it makes the model speak up
// on every silence, at the host's cost.
bool is_allowed_turn_detection(const json& value) {
    if (value.is_null()) return true;
    if (!value.is_object()) return false;
    const std::string type = string_field(value, "type");
    if (type == "server_vad") {
        return unexpected_key(value, {"type", "threshold", "prefix_padding_ms", "silence_duration_ms",
                                      "create_response", "interrupt_response"}) == std::nullopt;
    }
    if (type == "semantic_vad") {
        return unexpected_key(value, {"type", "eagerness", "create_response", "interrupt_response"}) ==
               std::nullopt;
    }
    return false;
}

// The voice (audio.output.voice), turn detection (audio.input.turn_detection) and output
// modality (output_modalities, for a page that reads rather than listens) of a browser's session
// object that differ from `session_config`, or nullopt when it tries to set anything else. A
// turn_detection object is taken whole: the API does not mix one type's settings into another's.
std::optional<json> allowed_session_changes(const json& session, const json& session_config) {
    json changes = {{"type", "realtime"}};
    for (const auto& [key, value] : session.items()) {
        if (key == "type") {
            if (value != "realtime") return std::nullopt;
            continue;
        }
        if (key == "output_modalities") {
            if (!is_output_modalities(value)) return std::nullopt;
            changes["output_modalities"] = value;
            continue;
        }
        if (key != "audio" || !value.is_object()) return std::nullopt;
        for (const auto& [direction, settings] : value.items()) {
            if (!settings.is_object()) return std::nullopt;
            for (const auto& [name, setting] : settings.items()) {
                const bool voice = direction == "output" && name == "voice" && setting.is_string();
                const bool turn_detection = direction == "input" && name == "turn_detection" &&
                                            is_allowed_turn_detection(setting);
                if (!voice && !turn_detection) return std::nullopt;
                const json* in_force = session_config.contains("audio") && session_config["audio"].is_object()
                                           ? &session_config["audio"]
                                           : nullptr;
                if (voice && in_force != nullptr && in_force->contains(direction) &&
                    (*in_force)[direction].is_object() && (*in_force)[direction].value(name, json()) == setting) {
                    continue;  // the voice in force: naming it again could only get the update refused
                }
                changes["audio"][direction][name] = setting;
            }
        }
    }
    return changes;
}

BrowserEventDecision decide_session_update(const json& event, const json& session_config,
                                           const std::string& event_id) {
    for (const auto& [key, value] : event.items()) {
        if (key != "session" && (!one_of(key, {"type", "event_id"}) || value.is_structured())) {
            return refuse("session.update may not carry \"" + key + "\"", event_id);
        }
    }
    const auto session = event.find("session");
    std::optional<json> changes;
    if (session != event.end() && session->is_object()) changes = allowed_session_changes(*session, session_config);
    if (!changes) {
        return refuse("session.update may change only audio.output.voice, "
                      "audio.input.turn_detection (server_vad: threshold, prefix_padding_ms, "
                      "silence_duration_ms; semantic_vad: eagerness; both: create_response, "
                      "interrupt_response) and output_modalities ([\"audio\"] or [\"text\"])",
                      event_id);
    }
    return UpdateSession{std::move(*changes), event_id};
}

// The browser's microphone sends input_audio_buffer.append ten times a second. In its usual shape
// (only allowed members, all plain strings) its bytes go up as sent; any other shape takes the
// general path below, which answers the same for the same event.
std::optional<ForwardEvent> plain_audio_append(std::string_view text) {
    const auto event = FlatJsonObject::read(text);
    if (!event || event->string("type") != "input_audio_buffer.append") return std::nullopt;
    for (const auto& member : *event) {
        if (!member.is_string || (member.key != "type" && member.key != "event_id" && member.key != "audio")) {
            return std::nullopt;
        }
    }
    json charged = {{"type", "input_audio_buffer.append"}};
    if (auto audio = event->string("audio")) charged["audio"] = std::string(*audio);
    return ForwardEvent{std::move(charged), std::string(text)};
}

}  // namespace

void adopt_server_session(json& session_config, const json& server_session) {
    if (!server_session.is_object() || !session_config.is_object()) return;
    if (const auto modalities = server_session.find("output_modalities");
        modalities != server_session.end() && is_output_modalities(*modalities)) {
        session_config["output_modalities"] = *modalities;
    }
    const auto audio = server_session.find("audio");
    if (audio == server_session.end() || !audio->is_object()) return;
    for (const auto& [direction, name] : {std::pair{"output", "voice"}, std::pair{"input", "turn_detection"}}) {
        const auto settings = audio->find(direction);
        if (settings == audio->end() || !settings->is_object()) continue;
        const auto setting = settings->find(name);
        if (setting == settings->end()) continue;
        if (!session_config["audio"].is_object()) session_config["audio"] = json::object();
        if (!session_config["audio"][direction].is_object()) session_config["audio"][direction] = json::object();
        session_config["audio"][direction][name] = *setting;
    }
}

json relay_error_event(std::string_view code, std::string_view message, std::string_view event_id) {
    json error = {{"type", "invalid_request_error"}, {"code", code}, {"message", message}};
    if (!event_id.empty()) error["event_id"] = event_id;
    return json{{"type", "error"}, {"error", std::move(error)}};
}

BrowserEventDecision decide_browser_event(std::string_view text, const json& session_config) {
    if (auto audio = plain_audio_append(text)) return std::move(*audio);
    if (!json_nesting_within(text, kMaxNesting)) {
        return RefuseEvent{relay_error_event("invalid_event", "the event is nested too deeply")};
    }
    json event = json::parse(text, nullptr, false);
    if (event.is_discarded() || !event.is_object() || !event.contains("type") ||
        !event["type"].is_string()) {
        return RefuseEvent{relay_error_event(
            "invalid_event", "each message must be a JSON object with a string \"type\"")};
    }
    const std::string type = event["type"].get<std::string>();
    const std::string event_id = string_field(event, "event_id");

    for (const auto& allowed : kPassThrough) {
        if (type != allowed.type) continue;
        if (auto key = unexpected_key(event, allowed.keys)) {
            return refuse(type + " may not carry \"" + *key + "\"", event_id);
        }
        return ForwardEvent{std::move(event)};
    }
    if (type == "response.create") {
        if (!is_allowed_response_create(event)) {
            return refuse("response.create may choose only response.output_modalities; "
                          "instructions, tools, input and the rest are the server's",
                          event_id);
        }
        return ForwardEvent{std::move(event)};
    }
    if (type == "conversation.item.create") {
        if (!is_user_message_event(event)) {
            return refuse("conversation.item.create may only add a user message of input_text or "
                          "input_audio parts",
                          event_id);
        }
        if (user_text_bytes(event) > kMaxUserTextBytes) {
            return RefuseEvent{relay_error_event(
                "input_text_too_long",
                "a message may carry at most " + std::to_string(kMaxUserTextBytes) +
                    " bytes of text; send a shorter one",
                event_id)};
        }
        return ForwardEvent{std::move(event)};
    }
    if (type == "session.update") return decide_session_update(event, session_config, event_id);
    return refuse("the relay does not forward " + type + " events", event_id);
}

}  // namespace calrt::server
