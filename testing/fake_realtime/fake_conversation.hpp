#pragma once
// One connection's conversation with the fake Realtime server: the session, the items, the
// response in progress and the voice activity detection. Its public members lock it, so the
// connection's coroutine and the test thread (finish_held_responses) can both use it; everything
// it sends goes out under that lock, in order.
//
// fake_conversation.cpp: session.update, items, response.create and the responses;
// fake_conversation_audio.cpp: input audio, voice activity and the turns it creates;
// fake_caller.cpp: the phone caller on a SIP call's sideband (FakeRealtime::caller_says, ...).

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "testing/fake_realtime/event_sender.hpp"
#include "testing/fake_realtime/fake_realtime_state.hpp"
#include "testing/fake_realtime/response_streamer.hpp"
#include "testing/fake_realtime/voice_activity.hpp"

namespace calrt::testing {

// {"type":"error","error":{"type":"invalid_request_error","code","message","param","event_id"}}
// (research/openai.md §3), event_id: the client event's that caused it, when it had one.
nlohmann::json error_event(std::string_view code, std::string message, const nlohmann::json& cause,
                           nlohmann::json param = nullptr);

class FakeConversation : public HeldResponses, public CallerLine {
  public:
    // With a `call_id`, the conversation is that SIP call's sideband and starts from
    // `accepted_session`, the configuration the call was accepted with.
    FakeConversation(std::shared_ptr<FakeRealtime::State> state,
                     const std::shared_ptr<net::WebSocket>& socket, const std::string& model,
                     std::string call_id = {},
                     const nlohmann::json& accepted_session = nullptr);

    void start();                         // session.created
    void handle(const nlohmann::json& event);  // one client event
    void unreadable_message();                 // a message that is not a JSON event
    void finish_held_responses() override;
    // fake_caller.cpp
    void caller_says(const std::string& transcript) override;
    void caller_presses(char key) override;

  private:
    struct AwaitingOutputs {
        std::vector<std::string> call_ids;
        FakeTurn::Answer answer;
        std::vector<std::string> tools;
        std::chrono::steady_clock::time_point calls_sent_at;  // when response.done listed them
    };
    // The response in progress and what finishing it leads to.
    struct Active {
        FakeResponse response;
        std::optional<AwaitingOutputs> awaiting;  // its calls' answer, once it completes
    };

    // fake_conversation.cpp
    void watch_sent(const nlohmann::json& event);
    bool spoken() const;
    ResponseSettings response_settings() const;
    void update_session(const nlohmann::json& event);
    void add_item(const nlohmann::json& event);
    void respond(const nlohmann::json& event);
    void cancel_response(const nlohmann::json& event);
    FakeTurn turn_for(const std::string& text) const;
    // Starts `turn`'s first response (or sends its error); `after_created` as FakeResponse::start.
    void run_turn(const FakeTurn& turn, const std::function<void()>& after_created = {});
    void answer(const std::string& text);
    // After a step of the active response: the calls it sent, and whether it ended.
    void after_response_step();

    // fake_conversation_audio.cpp
    void hear_audio(const nlohmann::json& event);
    void commit_audio(const nlohmann::json& event);
    void clear_audio();
    void speech_started(std::int64_t audio_start_ms);
    void speech_stopped(std::int64_t audio_end_ms);
    // Adds the heard audio as a user message item (input_audio_buffer.committed first).
    void add_audio_item(const std::string& item_id);
    FakeTurn speech_turn();
    bool speech_turn_queued() const;
    void configure_voice_activity();

    // fake_caller.cpp
    bool transcribes_input() const;
    void send_input_transcription(const std::string& item_id, const std::string& transcript,
                                  std::int64_t speech_ms);
    void record_assistant_answers(const nlohmann::json& response);

    std::shared_ptr<FakeRealtime::State> state_;
    const std::string call_id_;  // a SIP call's sideband: its call; else empty
    std::weak_ptr<net::WebSocket> socket_;  // for streamed speech, which may outlive this
    std::mutex mutex_;
    EventSender out_;
    nlohmann::json session_;
    std::optional<Active> active_;
    std::deque<std::string> unanswered_;
    std::vector<std::string> answered_;  // the sandbox's memory of the conversation
    std::deque<std::string> system_notes_;
    std::size_t unanswered_audio_ = 0;  // committed by the client with turn_detection off
    std::optional<AwaitingOutputs> awaiting_;
    std::set<std::string, std::less<>> issued_calls_;
    std::map<std::string, nlohmann::json> outputs_;
    std::size_t outputs_since_response_ = 0;
    bool output_audio_sent_ = false;
    nlohmann::json response_metadata_ = nullptr;  // of the response.create being answered
    VoiceActivityDetector voice_activity_;
    std::string speech_item_id_;       // the user item the speech under way will become
    bool audio_since_commit_ = false;  // for input_audio_buffer.commit with turn_detection off
    bool noticed_this_turn_ = false;   // the sandbox answered the speech under way at its start
    std::int64_t caller_audio_ms_ = 0;  // the caller's audio clock on a sideband (fake_caller.cpp)
};

}  // namespace calrt::testing
