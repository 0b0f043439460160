// libFuzzer target: what the Realtime upstream sends, read as RealtimeSession::handle reads it
// (src/realtime/realtime_session.cpp) up to the point where it acts. The input is a conversation:
// one upstream text message per line. Each message goes through parse_server_event and the readers
// the session uses (completed_function_call, response_done, function_calls_in_response,
// upstream_error, assistant_text_delta); each call it finds goes through the FunctionCallLedger,
// and its arguments through the step the tool registry runs before a handler (JSON parse, then
// validate_arguments). A call's output is "sent" when the next message arrives, so outputs and
// response.done interleave both ways.
//
// Beside "no crash", the ledger must keep its promises whatever the upstream sends: each call_id
// runs once, the running count is exact, and response.create is never asked for while one of the
// response's calls still runs or after the response ended "cancelled".
#include "calrt/realtime/function_call_ledger.hpp"
#include "calrt/realtime/server_events.hpp"
#include "calrt/tools/argument_validation.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace calrt::realtime;
using nlohmann::json;

void check(bool holds) {
    if (!holds) __builtin_trap();
}

// The tools' schemas live beside their handlers (which need the Calendly client); this one uses
// every keyword they use, so the validator meets them all.
const json& tool_schema() {
    static const json schema = json::parse(R"({
        "type": "object",
        "properties": {
            "event_type": {"type": "string", "maxLength": 200},
            "start_time": {"type": "string", "format": "date-time"},
            "start_date": {"type": "string", "format": "date"},
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "email": {"type": "string", "format": "email", "maxLength": 254},
            "kind": {"type": "string", "enum": ["solo", "group"]},
            "days": {"type": "integer", "minimum": 1, "maximum": 31},
            "ratio": {"type": "number", "minimum": 0},
            "confirm": {"type": "boolean"},
            "guests": {"type": "array", "items": {"type": "string", "format": "email"}},
            "invitee": {"type": "object", "properties": {"timezone": {"type": "string"}},
                        "required": ["timezone"]}
        },
        "required": ["name"],
        "additionalProperties": false
    })");
    return schema;
}

// What ToolRegistry::run does with the model's arguments text before the handler sees it.
void read_arguments(const std::string& text) {
    const bool blank = text.find_first_not_of(" \t\r\n") == std::string::npos;
    const json arguments = blank ? json::object() : json::parse(text, nullptr, false);
    if (arguments.is_discarded()) return;
    if (auto problem = calrt::tools::validate_arguments(tool_schema(), arguments)) {
        (void)problem->describe();
    }
}

class Conversation {
public:
    void receive(std::string_view text) {
        finish_calls_started_before();
        const auto event = parse_server_event(text);
        if (!event) return;
        check(!event->type.empty());
        if (auto delta = assistant_text_delta(*event)) (void)delta->size();

        if (auto call = completed_function_call(*event)) {
            start(*call);
        } else if (auto done = response_done(*event)) {
            for (const auto& listed : function_calls_in_response(*event)) start(listed);
            last_status_[done->response_id] = done->status;
            if (ledger_.response_done(done->response_id, done->status)) continue_after(done->response_id);
        } else if (auto error = upstream_error(*event)) {
            check(!error->message.empty());
        }
        check(ledger_.running_calls() == running_.size());
    }

    void end() {
        finish_calls_started_before();
        check(ledger_.running_calls() == 0);
    }

private:
    void start(const FunctionCall& call) {
        check(!call.call_id.empty() && !call.name.empty());
        const bool is_new = seen_.insert(call.call_id).second;
        check(ledger_.announce(call) == is_new);
        if (!is_new) return;
        read_arguments(call.arguments);
        running_.emplace(call.call_id, call.response_id);
        waiting_.push_back(call.call_id);
    }

    void finish_calls_started_before() {
        const std::vector<std::string> finishing = std::move(waiting_);
        waiting_.clear();
        for (const auto& call_id : finishing) {
            const std::string response_id = running_.at(call_id);
            running_.erase(call_id);
            if (ledger_.call_finished(call_id)) continue_after(response_id);
        }
    }

    // The ledger asked for response.create after `response_id`.
    void continue_after(const std::string& response_id) {
        for (const auto& [call_id, response] : running_) check(response != response_id);
        const auto status = last_status_.find(response_id);
        check(status != last_status_.end() && status->second != "cancelled");
    }

    FunctionCallLedger ledger_;
    std::set<std::string> seen_;
    std::map<std::string, std::string> running_;  // call_id -> response_id
    std::vector<std::string> waiting_;  // started, output sent when the next message arrives
    std::map<std::string, std::string> last_status_;  // response_id -> latest response.done status
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    Conversation conversation;
    while (!input.empty()) {
        const auto newline = input.find('\n');
        conversation.receive(input.substr(0, newline));
        if (newline == std::string_view::npos) break;
        input.remove_prefix(newline + 1);
    }
    conversation.end();
    return 0;
}
