#include "calrt/realtime/server_events.hpp"

namespace calrt::realtime {

using nlohmann::json;

namespace {

std::string text_of(const json& object, std::string_view key) {
    if (!object.is_object()) return {};
    const auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

const json& member(const json& object, std::string_view key) {
    static const json kNull;
    if (!object.is_object()) return kNull;
    const auto found = object.find(key);
    return found != object.end() ? *found : kNull;
}

ItemStatus item_status_of(const json& item) {
    const std::string status = text_of(item, "status");
    if (status == "completed") return ItemStatus::completed;
    if (status == "incomplete") return ItemStatus::incomplete;
    if (status == "in_progress") return ItemStatus::in_progress;
    return ItemStatus::unknown;
}

std::optional<FunctionCall> call_from(const json& source, std::string response_id) {
    FunctionCall call{text_of(source, "call_id"), text_of(source, "name"),
                      text_of(source, "arguments"), std::move(response_id), item_status_of(source)};
    if (call.call_id.empty() || call.name.empty()) return std::nullopt;  // nothing to answer to
    return call;
}

bool is_function_call_item(const json& item) { return text_of(item, "type") == "function_call"; }

}  // namespace

std::optional<ServerEvent> parse_server_event(std::string_view text) {
    auto body = json::parse(text, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return std::nullopt;
    auto type = text_of(body, "type");
    if (type.empty()) return std::nullopt;
    return ServerEvent{std::move(type), std::move(body)};
}

std::optional<FunctionCall> completed_function_call(const ServerEvent& event) {
    if (event.type == event_type::function_call_arguments_done) {
        return call_from(event.body, text_of(event.body, "response_id"));
    }
    if (event.type == event_type::output_item_done) {
        const json& item = member(event.body, "item");
        if (is_function_call_item(item)) return call_from(item, text_of(event.body, "response_id"));
    }
    return std::nullopt;
}

std::vector<FunctionCall> function_calls_in_response(const ServerEvent& event) {
    std::vector<FunctionCall> calls;
    if (event.type != event_type::response_done) return calls;
    const json& response = member(event.body, "response");
    const json& output = member(response, "output");
    if (!output.is_array()) return calls;
    for (const auto& item : output) {
        if (!is_function_call_item(item)) continue;
        if (auto call = call_from(item, text_of(response, "id"))) calls.push_back(std::move(*call));
    }
    return calls;
}

std::optional<ResponseDone> response_done(const ServerEvent& event) {
    if (event.type != event_type::response_done) return std::nullopt;
    const json& response = member(event.body, "response");
    return ResponseDone{text_of(response, "id"), text_of(response, "status"),
                        text_of(member(response, "status_details"), "reason")};
}

std::optional<std::string> response_created(const ServerEvent& event) {
    if (event.type != event_type::response_created) return std::nullopt;
    return text_of(member(event.body, "response"), "id");
}

std::optional<std::string> function_call_output_added(const ServerEvent& event) {
    if (event.type != event_type::conversation_item_added &&
        event.type != event_type::conversation_item_done &&
        event.type != event_type::conversation_item_created) {
        return std::nullopt;
    }
    const json& item = member(event.body, "item");
    if (text_of(item, "type") != "function_call_output") return std::nullopt;
    std::string call_id = text_of(item, "call_id");
    if (call_id.empty()) return std::nullopt;
    return call_id;
}

std::optional<UpstreamError> upstream_error(const ServerEvent& event) {
    if (event.type != event_type::error) return std::nullopt;
    const json& error = member(event.body, "error");
    UpstreamError out{text_of(error, "type"), text_of(error, "code"), text_of(error, "message"),
                      text_of(error, "event_id")};
    if (out.message.empty()) out.message = "the Realtime API reported an error without a message";
    return out;
}

std::optional<std::string> assistant_text_delta(const ServerEvent& event) {
    if (event.type != event_type::output_text_delta &&
        event.type != event_type::output_audio_transcript_delta) {
        return std::nullopt;
    }
    return text_of(event.body, "delta");
}

}  // namespace calrt::realtime
