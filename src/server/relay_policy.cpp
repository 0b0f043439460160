#include "calrt/server/relay_policy.hpp"

#include <array>
#include <optional>

namespace calrt::server {
using nlohmann::json;

namespace {

// Forwarded unchanged: the audio buffer, response control and truncation of played audio.
constexpr std::array<std::string_view, 5> kPassThroughEvents = {
    "input_audio_buffer.append", "input_audio_buffer.commit", "input_audio_buffer.clear",
    "response.cancel",           "conversation.item.truncate",
};

// response.create may carry a "response" object that overrides the session for that one response
// (instructions, tools, ...). These keys would let a browser replace what the server decides.
constexpr std::array<std::string_view, 4> kLockedResponseKeys = {"instructions", "tools",
                                                                 "tool_choice", "prompt"};

std::string string_field(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

RefuseEvent refuse(std::string_view message, std::string_view event_id) {
    return RefuseEvent{relay_error_event("event_not_allowed", message, event_id)};
}

// A user message whose parts are the user's own text or audio.
bool is_user_message(const json& event) {
    const auto item = event.find("item");
    if (item == event.end() || !item->is_object()) return false;
    if (string_field(*item, "type") != "message" || string_field(*item, "role") != "user") {
        return false;
    }
    const auto content = item->find("content");
    if (content == item->end() || !content->is_array()) return false;
    for (const auto& part : *content) {
        if (!part.is_object()) return false;
        const std::string type = string_field(part, "type");
        if (type != "input_text" && type != "input_audio") return false;
    }
    return true;
}

bool overrides_locked_response_fields(const json& event) {
    const auto response = event.find("response");
    if (response == event.end()) return false;
    if (!response->is_object()) return true;
    for (const auto key : kLockedResponseKeys) {
        if (response->contains(key)) return true;
    }
    return false;
}

// The API answers in one output modality: ["audio"] (with a transcript) or ["text"].
bool is_output_modalities(const json& value) {
    return value == json::array({"audio"}) || value == json::array({"text"});
}

// The voice (audio.output.voice), turn detection (audio.input.turn_detection) and output
// modality (output_modalities, for a page that reads rather than listens) of a browser's session
// object, or nullopt when it tries to set anything else.
std::optional<json> allowed_session_changes(const json& session) {
    json changes = json::object();
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
                const bool allowed = (direction == "output" && name == "voice" && setting.is_string()) ||
                                     (direction == "input" && name == "turn_detection" &&
                                      (setting.is_object() || setting.is_null()));
                if (!allowed) return std::nullopt;
                changes["audio"][direction][name] = setting;
            }
        }
    }
    return changes;
}

}  // namespace

json relay_error_event(std::string_view code, std::string_view message, std::string_view event_id) {
    json error = {{"type", "invalid_request_error"}, {"code", code}, {"message", message}};
    if (!event_id.empty()) error["event_id"] = event_id;
    return json{{"type", "error"}, {"error", std::move(error)}};
}

BrowserEventDecision decide_browser_event(std::string_view text, const json& session_config) {
    json event = json::parse(text, nullptr, false);
    if (event.is_discarded() || !event.is_object() || !event.contains("type") ||
        !event["type"].is_string()) {
        return RefuseEvent{relay_error_event(
            "invalid_event", "each message must be a JSON object with a string \"type\"")};
    }
    const std::string type = event["type"].get<std::string>();
    const std::string event_id = string_field(event, "event_id");

    for (const auto allowed : kPassThroughEvents) {
        if (type == allowed) return ForwardEvent{std::move(event)};
    }
    if (type == "response.create") {
        if (overrides_locked_response_fields(event)) {
            return refuse("response.create may not override instructions, tools or tool_choice",
                          event_id);
        }
        return ForwardEvent{std::move(event)};
    }
    if (type == "conversation.item.create") {
        if (!is_user_message(event)) {
            return refuse("conversation.item.create may only add a user message of input_text or "
                          "input_audio parts",
                          event_id);
        }
        return ForwardEvent{std::move(event)};
    }
    if (type == "session.update") {
        const auto session = event.find("session");
        std::optional<json> changes;
        if (session != event.end() && session->is_object()) changes = allowed_session_changes(*session);
        if (!changes) {
            return refuse("session.update may change only audio.output.voice, "
                          "audio.input.turn_detection and output_modalities ([\"audio\"] or "
                          "[\"text\"])",
                          event_id);
        }
        json merged = session_config;
        merged.merge_patch(*changes);
        // merge_patch removes a key set to null; turn_detection null means "no VAD" in the API.
        if (changes->contains("audio") && (*changes)["audio"].contains("input") &&
            (*changes)["audio"]["input"].contains("turn_detection") &&
            (*changes)["audio"]["input"]["turn_detection"].is_null()) {
            merged["audio"]["input"]["turn_detection"] = nullptr;
        }
        return UpdateSession{std::move(merged), event_id};
    }
    return refuse("the relay does not forward " + type + " events", event_id);
}

}  // namespace calrt::server
