#pragma once
// What the terminal chat shows of a Realtime session: the assistant's words as they stream, one
// line per tool starting and finishing, errors, and the end of the session. It also tells the chat
// loop when a turn is over: a response.done whose response called no function (after a function
// call the session asks the model to go on, so the turn continues), an error while no response
// runs, or the session ending.
//
// Single-threaded: the chat runs its io_context on one thread, so the observer callbacks (on the
// session's strand) and the chat loop never run at the same time.

#include "calrt/realtime/realtime_observer.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

namespace calrt::app {

class ChatTranscript : public realtime::RealtimeObserver {
  public:
    ChatTranscript(boost::asio::any_io_executor executor, std::ostream& out);

    void on_server_event(std::string_view type, std::string_view raw_json) override;
    void on_tool_started(const realtime::ToolCallInfo& call) override;
    void on_tool_finished(const realtime::ToolCallInfo& call, const nlohmann::json& output,
                          std::chrono::milliseconds took) override;
    void on_upstream_error(const realtime::UpstreamError& error) override;
    void on_session_ended(const Error& reason) override;

    // Call before sending the person's message.
    void begin_turn();
    // Waits until the turn is over (true) or `limit` passes (false).
    boost::asio::awaitable<bool> wait_for_turn(std::chrono::milliseconds limit);

    // Why the session ended, once it has.
    const std::optional<Error>& ended() const noexcept { return ended_; }

  private:
    void finish_turn();
    void end_line();

    std::ostream& out_;
    boost::asio::steady_timer turn_signal_;  // cancelled when the turn is over
    bool turn_over_ = true;
    bool responding_ = false;  // between response.created and response.done
    bool mid_line_ = false;    // the assistant's line is still being written
    std::optional<Error> ended_;
};

// `model_text` safe to print on a terminal: control characters other than newline and tab
// (escape sequences) replaced by spaces.
std::string printable(std::string_view model_text);

// What the chat shows while a tool runs ("checking availability").
std::string tool_activity(std::string_view tool_name);

}  // namespace calrt::app
