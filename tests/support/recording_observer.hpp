#pragma once
// A RealtimeObserver that remembers everything, for assertions from the test thread.

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "calrt/realtime/realtime_observer.hpp"

namespace calrt::test {

class RecordingObserver : public realtime::RealtimeObserver {
  public:
    void on_server_event(std::string_view type, std::string_view raw_json) override {
        std::lock_guard lock(mutex_);
        event_types_.emplace_back(type);
        if (auto event = realtime::parse_server_event(raw_json)) {
            if (auto delta = realtime::assistant_text_delta(*event)) assistant_text_ += *delta;
            if (type == "response.output_text.done" ||
                type == "response.output_audio_transcript.done") {
                ++answers_done_;
            }
        }
    }
    void on_tool_started(const realtime::ToolCallInfo& call) override {
        std::lock_guard lock(mutex_);
        tools_started_.push_back(call.name);
    }
    void on_tool_finished(const realtime::ToolCallInfo& call, const nlohmann::json& output,
                          std::chrono::milliseconds) override {
        std::lock_guard lock(mutex_);
        tools_finished_.emplace_back(call.name, output);
    }
    void on_upstream_error(const realtime::UpstreamError& error) override {
        std::lock_guard lock(mutex_);
        errors_.push_back(error);
    }
    void on_session_ended(const Error& reason) override {
        std::lock_guard lock(mutex_);
        ended_ = reason;
    }

    std::vector<std::string> event_types() const { return locked(event_types_); }
    std::string assistant_text() const { return locked(assistant_text_); }
    std::size_t answers_done() const { return locked(answers_done_); }
    std::vector<std::string> tools_started() const { return locked(tools_started_); }
    std::vector<std::pair<std::string, nlohmann::json>> tools_finished() const {
        return locked(tools_finished_);
    }
    std::vector<realtime::UpstreamError> errors() const { return locked(errors_); }
    std::optional<Error> ended() const { return locked(ended_); }

  private:
    template <class T>
    T locked(const T& value) const {
        std::lock_guard lock(mutex_);
        return value;
    }

    mutable std::mutex mutex_;
    std::vector<std::string> event_types_;
    std::string assistant_text_;
    std::size_t answers_done_ = 0;
    std::vector<std::string> tools_started_;
    std::vector<std::pair<std::string, nlohmann::json>> tools_finished_;
    std::vector<realtime::UpstreamError> errors_;
    std::optional<Error> ended_;
};

}  // namespace calrt::test
