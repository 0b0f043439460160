#pragma once
// Server events of OpenAI's Realtime API, GA interface (platform.openai.com/docs/api-reference/
// realtime-server-events), read tolerantly: a missing or mistyped field reads as empty, an unknown
// event type is simply not one of these.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::realtime {

// The GA names this project reads or writes (the beta's response.text.delta and
// response.audio.delta are not among them).
namespace event_type {
inline constexpr std::string_view error = "error";
inline constexpr std::string_view session_created = "session.created";
inline constexpr std::string_view session_updated = "session.updated";
inline constexpr std::string_view conversation_item_added = "conversation.item.added";
// The beta's name for .added; still in the GA types (openai-python realtime_server_event.py).
inline constexpr std::string_view conversation_item_created = "conversation.item.created";
inline constexpr std::string_view conversation_item_done = "conversation.item.done";
inline constexpr std::string_view response_created = "response.created";
inline constexpr std::string_view response_done = "response.done";
inline constexpr std::string_view output_item_added = "response.output_item.added";
inline constexpr std::string_view output_item_done = "response.output_item.done";
inline constexpr std::string_view content_part_added = "response.content_part.added";
inline constexpr std::string_view content_part_done = "response.content_part.done";
inline constexpr std::string_view output_text_delta = "response.output_text.delta";
inline constexpr std::string_view output_text_done = "response.output_text.done";
inline constexpr std::string_view output_audio_delta = "response.output_audio.delta";
inline constexpr std::string_view output_audio_done = "response.output_audio.done";
inline constexpr std::string_view output_audio_transcript_delta =
    "response.output_audio_transcript.delta";
inline constexpr std::string_view output_audio_transcript_done =
    "response.output_audio_transcript.done";
inline constexpr std::string_view function_call_arguments_delta =
    "response.function_call_arguments.delta";
inline constexpr std::string_view function_call_arguments_done =
    "response.function_call_arguments.done";
}  // namespace event_type

struct ServerEvent {
    std::string type;
    nlohmann::json body;  // the whole event object
};

// Nullopt when `text` is not a JSON object with a string "type".
std::optional<ServerEvent> parse_server_event(std::string_view text);

// A function_call item's `status` (openai-python realtime_conversation_item_function_call.py:
// "completed", "incomplete", "in_progress"). `unknown` where the announcement has none
// (response.function_call_arguments.done) or the field is missing.
enum class ItemStatus { unknown, completed, incomplete, in_progress };

struct FunctionCall {
    std::string call_id;
    std::string name;
    std::string arguments;  // JSON text, as the model wrote it
    std::string response_id;
    ItemStatus item_status = ItemStatus::unknown;
};

// The call that `event` announces: response.function_call_arguments.done, or
// response.output_item.done whose item is a function_call. The API announces each call both ways,
// and also for responses that were interrupted, cancelled or incomplete ("Also emitted when a
// Response is interrupted, incomplete, or cancelled", openai-python
// response_output_item_done_event.py): only the item's status says whether the call is whole.
std::optional<FunctionCall> completed_function_call(const ServerEvent& event);

// The function_call items in a response.done event's response.output.
std::vector<FunctionCall> function_calls_in_response(const ServerEvent& event);

struct ResponseDone {
    std::string response_id;
    std::string status;  // completed, cancelled, failed, incomplete
    // status_details.reason: turn_detected or client_cancelled (cancelled), max_output_tokens or
    // content_filter (incomplete); empty when absent.
    std::string reason;
};
std::optional<ResponseDone> response_done(const ServerEvent& event);

// The response id of a response.created event; nullopt for other events.
std::optional<std::string> response_created(const ServerEvent& event);

// The call_id of a function_call_output item the server added to the conversation
// (conversation.item.added or .done, or the older conversation.item.created): from then on, a
// response the server creates sees that output.
std::optional<std::string> function_call_output_added(const ServerEvent& event);

// An "error" event: {"type":"error","error":{"type","code","message","param","event_id"}}.
struct UpstreamError {
    std::string type;  // invalid_request_error, server_error, ...
    std::string code;  // may be empty
    std::string message;
    std::string event_id;  // the client event that caused it, when known
};
std::optional<UpstreamError> upstream_error(const ServerEvent& event);

// The assistant's words as they stream: response.output_text.delta, or the transcript of spoken
// output (response.output_audio_transcript.delta).
std::optional<std::string> assistant_text_delta(const ServerEvent& event);

}  // namespace calrt::realtime
