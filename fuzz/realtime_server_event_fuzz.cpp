// libFuzzer target: what the Realtime upstream sends, read as RealtimeSession::handle reads it
// (src/realtime/realtime_session.cpp) up to the point where it acts. The input is a conversation:
// one upstream text message per line. Each message goes through parse_server_event and the readers
// the session uses (upstream_error, assistant_text_delta) and through the FunctionCallLoop; each
// call the loop starts has its arguments read as the tool registry reads them (JSON parse, then
// validate_arguments). A call's output is "sent" when the next message arrives, so outputs and
// response.done interleave both ways. Tools whose name starts with "book" have an effect.
//
// Beside "no crash", the loop must keep its promises whatever the upstream sends: each call_id
// runs at most once, the running count is exact, a call of a tool with an effect never runs before
// its response is done nor when that response ended "cancelled", and response.create is never
// asked for while a response is active or requested or a call still runs.
#include "calrt/realtime/function_call_loop.hpp"
#include "calrt/realtime/server_events.hpp"
#include "calrt/tools/argument_validation.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
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

bool has_effect(std::string_view tool) { return tool.starts_with("book"); }

class Conversation {
public:
    void receive(std::string_view text) {
        finish_calls_started_before();
        const auto event = parse_server_event(text);
        if (!event) return;
        check(!event->type.empty());
        if (auto delta = assistant_text_delta(*event)) (void)delta->size();
        if (auto error = upstream_error(*event)) check(!error->message.empty());
        if (event->type == event_type::response_created) active_ = true;
        std::optional<ResponseDone> done = response_done(*event);
        if (done) {
            active_ = false;
            last_status_[done->response_id] = done->status;
        }
        apply(loop_.on_server_event(*event), done ? &*done : nullptr);
        check(loop_.running_calls() == running_.size());
    }

    void end() {
        finish_calls_started_before();
        check(loop_.running_calls() == 0);
    }

private:
    void apply(FunctionCallLoop::Steps steps, const ResponseDone* done) {
        for (const auto& call : steps.run) start(call, done);
        for (const auto& call : steps.not_run) {
            check(has_effect(call.name));
            check(seen_.insert(call.call_id).second);
        }
        if (steps.request_response) {
            // Never into an active response, nor past a call that still runs.
            check(!active_ && running_.empty());
            loop_.response_requested("req_" + std::to_string(++requests_), true);
        }
    }

    void start(const FunctionCall& call, const ResponseDone* done) {
        check(!call.call_id.empty() && !call.name.empty());
        check(seen_.insert(call.call_id).second);
        check(call.item_status != ItemStatus::incomplete);
        if (has_effect(call.name)) {
            // Only from its own response.done, and never a cancelled one.
            check(done != nullptr && done->status != "cancelled" && done->status != "failed");
        }
        read_arguments(call.arguments);
        running_.emplace(call.call_id, call.response_id);
        waiting_.push_back(call.call_id);
    }

    void finish_calls_started_before() {
        const std::vector<std::string> finishing = std::move(waiting_);
        waiting_.clear();
        for (const auto& call_id : finishing) {
            running_.erase(call_id);
            apply(loop_.output_sent(call_id), nullptr);
        }
    }

    FunctionCallLoop loop_{has_effect};
    bool active_ = false;
    std::size_t requests_ = 0;
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
