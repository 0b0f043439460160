#include "chat_transcript.hpp"

#include "calrt/realtime/server_events.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace calrt::app {
namespace asio = boost::asio;
namespace event_type = realtime::event_type;

ChatTranscript::ChatTranscript(asio::any_io_executor executor, std::ostream& out)
    : out_(out), turn_signal_(std::move(executor)) {}

std::string printable(std::string_view model_text) {
    // The model's words go to a terminal: control characters (escape sequences could retitle the
    // window or write the clipboard) become spaces; newlines and tabs stay. UTF-8 bytes are >= 0x80.
    std::string out(model_text);
    for (char& c : out) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7f) c = ' ';
    }
    return out;
}

std::string tool_activity(std::string_view tool_name) {
    if (tool_name == "get_available_meeting_types") return "looking up the meeting types";
    if (tool_name == "check_meeting_availability") return "checking availability";
    if (tool_name == "schedule_call") return "creating a booking link";
    if (tool_name == "book_meeting") return "booking the meeting";
    return "running " + std::string(tool_name);
}

void ChatTranscript::on_server_event(std::string_view type, std::string_view raw_json) {
    if (type == event_type::response_created) {
        responding_ = true;
        return;
    }
    const bool words = type == event_type::output_text_delta ||
                       type == event_type::output_audio_transcript_delta;
    const bool words_done = type == event_type::output_text_done ||
                            type == event_type::output_audio_transcript_done;
    if (!words && !words_done && type != event_type::response_done) return;
    const auto event = realtime::parse_server_event(raw_json);
    if (!event) return;
    if (words) {
        if (auto delta = realtime::assistant_text_delta(*event)) {
            if (!mid_line_) out_ << "assistant> ";
            mid_line_ = true;
            out_ << printable(*delta) << std::flush;
        }
    } else if (words_done) {
        end_line();
    } else {
        responding_ = false;
        end_line();
        const auto done = realtime::response_done(*event);
        if (done && done->status != "completed") {
            out_ << "  [the response ended early: " << done->status << "]\n" << std::flush;
        }
        // A response that called functions is followed by another once their outputs are in.
        if (realtime::function_calls_in_response(*event).empty()) finish_turn();
    }
}

void ChatTranscript::on_tool_started(const realtime::ToolCallInfo& call) {
    end_line();
    out_ << "  [tool] " << tool_activity(call.name) << "...\n" << std::flush;
}

void ChatTranscript::on_tool_finished(const realtime::ToolCallInfo& call, const nlohmann::json& output,
                                      std::chrono::milliseconds took) {
    end_line();
    out_ << "  [tool] " << call.name;
    if (output.is_object() && output.contains("error") && output["error"].is_object()) {
        out_ << " failed: " << output["error"].value("code", std::string("error"));
    } else {
        out_ << " done";
    }
    out_ << " (" << took.count() << " ms)\n" << std::flush;
}

void ChatTranscript::on_upstream_error(const realtime::UpstreamError& error) {
    end_line();
    out_ << "  [error] " << printable(error.message) << "\n" << std::flush;
    if (!responding_) finish_turn();  // nothing more will come for this turn
}

void ChatTranscript::on_session_ended(const Error& reason) {
    ended_ = reason;
    end_line();
    finish_turn();
}

void ChatTranscript::begin_turn() { turn_over_ = false; }

asio::awaitable<bool> ChatTranscript::wait_for_turn(std::chrono::milliseconds limit) {
    if (turn_over_) co_return true;
    turn_signal_.expires_after(limit);
    co_await turn_signal_.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return turn_over_;
}

void ChatTranscript::finish_turn() {
    turn_over_ = true;
    turn_signal_.cancel();
}

void ChatTranscript::end_line() {
    if (!mid_line_) return;
    out_ << "\n" << std::flush;
    mid_line_ = false;
}

}  // namespace calrt::app
