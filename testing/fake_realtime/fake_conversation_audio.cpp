// FakeConversation's input audio: voice activity detection from input_audio_buffer.append, the
// events the real server sends for it (research/openai.md §2: input_audio_buffer.speech_started
// {audio_start_ms, item_id}, .speech_stopped {audio_end_ms, item_id}, .committed
// {previous_item_id, item_id}, then the user message item), the responses it creates
// (create_response) and interrupts (interrupt_response: response.done "cancelled", reason
// "turn_detected"), and a manual input_audio_buffer.commit with turn_detection off.
#include "testing/fake_realtime/fake_conversation.hpp"
#include "testing/fake_realtime/pcm16_audio.hpp"
#include "testing/fake_realtime/sandbox_assistant.hpp"

namespace calrt::testing {

using nlohmann::json;

void FakeConversation::configure_voice_activity() {
    const json::json_pointer pointer("/audio/input/turn_detection");
    voice_activity_.configure(
        TurnDetection::from_json(session_.contains(pointer) ? session_[pointer] : json()));
}

void FakeConversation::hear_audio(const json& event) {
    const json audio = event.value("audio", json());
    auto samples = audio.is_string() ? decode_pcm16_base64(audio.get<std::string>()) : std::nullopt;
    if (!samples) {
        out_.send(error_event("invalid_value", "Invalid value: 'audio' is not base64 PCM16 audio.",
                              event, "audio"));
        return;
    }
    if (!samples->empty()) audio_since_commit_ = true;
    for (const auto& change : voice_activity_.hear(*samples)) {
        if (change.started)
            speech_started(change.audio_ms);
        else
            speech_stopped(change.audio_ms);
    }
}

void FakeConversation::speech_started(std::int64_t audio_start_ms) {
    speech_item_id_ = out_.next_id("item");
    out_.send({{"type", "input_audio_buffer.speech_started"},
               {"audio_start_ms", audio_start_ms},
               {"item_id", speech_item_id_}});
    if (active_ && voice_activity_.settings().interrupt_response) {
        active_->response.cancel("turn_detected");
        after_response_step();
    }
    // The sandbox cannot understand speech, so it says so as soon as it hears some rather than at
    // the end of the turn: a microphone that never pauses for silence_duration_ms would otherwise
    // get no answer (Chromium's fake capture device, which the browser test uses, beeps for 20 ms
    // every 500 ms: media/audio/fake_audio_input_stream.cc, kAutomaticBeepIntervalInMs).
    noticed_this_turn_ = false;
    if (state_->options.sandbox && voice_activity_.settings().create_response && !active_ &&
        !speech_turn_queued()) {
        noticed_this_turn_ = true;
        answer(sandbox_audio_notice());
    }
}

void FakeConversation::speech_stopped(std::int64_t audio_end_ms) {
    out_.send({{"type", "input_audio_buffer.speech_stopped"},
               {"audio_end_ms", audio_end_ms},
               {"item_id", speech_item_id_}});
    add_audio_item(speech_item_id_);
    // With interrupt_response false a response may still be in progress: then none is created
    // ("this may fail to create a response if the model is already responding", ServerVad's
    // create_response, research/openai.md §1.4).
    if (voice_activity_.settings().create_response && !active_ && !noticed_this_turn_)
        run_turn(speech_turn());
    noticed_this_turn_ = false;
}

void FakeConversation::add_audio_item(const std::string& item_id) {
    const json previous = out_.last_item_id();
    out_.send({{"type", "input_audio_buffer.committed"},
               {"previous_item_id", previous},
               {"item_id", item_id}});
    // A user message with the audio (its transcript null: the fake transcribes nothing).
    const json item = {{"id", item_id},
                       {"object", "realtime.item"},
                       {"type", "message"},
                       {"role", "user"},
                       {"status", "completed"},
                       {"content", json::array({{{"type", "input_audio"}, {"transcript", nullptr}}})}};
    out_.send({{"type", "conversation.item.added"}, {"previous_item_id", previous}, {"item", item}});
    out_.send({{"type", "conversation.item.done"}, {"previous_item_id", previous}, {"item", item}});
    audio_since_commit_ = false;
}

void FakeConversation::commit_audio(const json&) {
    // With turn detection on, the server commits by itself; a manual commit of what is left adds
    // it all the same. An empty buffer: nothing to add (the real server's error for it is not in
    // research/openai.md, so the fake sends none).
    if (!audio_since_commit_) return;
    voice_activity_.clear();
    add_audio_item(out_.next_id("item"));
    ++unanswered_audio_;
}

void FakeConversation::clear_audio() {
    voice_activity_.clear();
    audio_since_commit_ = false;
    // openai-python input_audio_buffer_cleared_event.py: "Returned when the input audio buffer is
    // cleared by the client".
    out_.send({{"type", "input_audio_buffer.cleared"}});
}

bool FakeConversation::speech_turn_queued() const {
    std::lock_guard lock(state_->mutex);
    return !state_->speech_turns.empty();
}

FakeTurn FakeConversation::speech_turn() {
    {
        std::lock_guard lock(state_->mutex);
        if (!state_->speech_turns.empty()) {
            FakeTurn turn = std::move(state_->speech_turns.front());
            state_->speech_turns.pop_front();
            return turn;
        }
    }
    // The sandbox cannot understand speech: it says so (a turn answered at its start above gets
    // here only through a manual commit).
    if (state_->options.sandbox) return FakeTurn::saying(sandbox_audio_notice());
    return FakeTurn::saying("Fake Realtime heard you.");
}

}  // namespace calrt::testing
