// FakeConversation as a SIP call's sideband: the phone caller's speech and keypad presses, as
// OpenAI's server shows them on the sideband WebSocket of the call (fake_sideband.hpp). The
// caller's audio reaches the session over SIP, so the sideband sees only what the server makes of
// it, in the order the server sends it for server VAD:
//   input_audio_buffer.speech_started {audio_start_ms, item_id}  (and, with interrupt_response,
//       the response in progress cancelled: response.done "cancelled", reason "turn_detected")
//   input_audio_buffer.speech_stopped {audio_end_ms, item_id}
//   input_audio_buffer.committed {previous_item_id, item_id}
//   conversation.item.added, conversation.item.done  (the user message: input_audio content)
//   with create_response: the response the server creates by itself (response.created ...
//       response.done)
//   with audio.input.transcription set: conversation.item.input_audio_transcription.completed
//       {item_id, content_index, transcript, usage}
// Sources: openai-python src/openai/types/realtime/ input_audio_buffer_speech_started_event.py,
// input_audio_buffer_speech_stopped_event.py ("The server will also send an
// conversation.item.created event with the user message item that is created from the audio
// buffer"), input_audio_buffer_committed_event.py, conversation_item_added.py ("When the input
// audio buffer is committed"), realtime_audio_input_turn_detection.py (create_response,
// interrupt_response) and research/openai.md §1.4 and §2 for the fields. The transcription
// "runs asynchronously with Response creation, so this event may come before or after the
// Response events" (conversation_item_input_audio_transcription_completed_event.py): the fake
// sends it right after the response's response.created, in the middle of the response, so a
// client cannot count on having it before, or after, the answer. With no response created it
// follows the user's item. The user item's transcript stays null in item.added and item.done (as
// the fake's audio items elsewhere): the transcript arrives only in the transcription event.
//
// Fake's choices: the caller's audio clock (audio_start_ms, audio_end_ms) starts 1 s of silence
// before each utterance, which lasts 60 ms a character (at least 600 ms); audio_start_ms includes
// the prefix padding and audio_end_ms the silence duration, as their docstrings say. No
// conversation.item.input_audio_transcription.delta events are sent (the completed event carries
// the whole transcript). With turn_detection null the real server would wait for a commit of a
// buffer the sideband cannot fill; the fake sends nothing for such speech. Not documented for a
// sideband, so left as on any connection: a spoken answer's response.output_audio.delta events
// (the caller hears the audio over SIP; whether the sideband gets it too is not said), and no
// output_audio_buffer.started/stopped/cleared (their docstrings say "WebRTC/SIP Only", but not
// whether the sideband WebSocket of a SIP call receives them).
//
// A key press: input_audio_buffer.dtmf_event_received {type, event, received_at} ("SIP Only",
// the OpenAPI spec's RealtimeServerEventInputAudioBufferDtmfEventReceived and openai-python
// input_audio_buffer_dtmf_event_received_event.py): one event per key, `received_at` in Unix
// seconds. Unlike every other server event, that schema has no event_id (not in its properties,
// its required list or its example), so the fake sends none; whether the real server adds one
// anyway is not confirmed.
#include <algorithm>
#include <chrono>

#include "testing/fake_realtime/fake_conversation.hpp"

namespace calrt::testing {

using nlohmann::json;

namespace {

constexpr std::int64_t kSilenceBeforeMs = 1000;
constexpr std::int64_t kSpeechMsPerCharacter = 60;
constexpr std::int64_t kShortestSpeechMs = 600;

}  // namespace

void FakeConversation::caller_says(const std::string& transcript) {
    std::lock_guard lock(mutex_);
    const TurnDetection& detection = voice_activity_.settings();
    if (!detection.enabled) return;
    const std::int64_t speech_begins = caller_audio_ms_ + kSilenceBeforeMs;
    const std::int64_t speech_ms = std::max<std::int64_t>(
        kShortestSpeechMs, kSpeechMsPerCharacter * static_cast<std::int64_t>(transcript.size()));
    const std::int64_t audio_end_ms = speech_begins + speech_ms + detection.silence_duration_ms;
    caller_audio_ms_ = audio_end_ms;

    // As speech_started() for client audio, without the sandbox's "I cannot hear audio" notice:
    // the caller's speech comes with its transcript.
    const std::string item_id = out_.next_id("item");
    out_.send(
        {{"type", "input_audio_buffer.speech_started"},
         {"audio_start_ms", std::max<std::int64_t>(0, speech_begins - detection.prefix_padding_ms)},
         {"item_id", item_id}});
    if (active_ && detection.interrupt_response) {
        active_->response.cancel("turn_detected");
        after_response_step();
    }
    out_.send({{"type", "input_audio_buffer.speech_stopped"},
               {"audio_end_ms", audio_end_ms},
               {"item_id", item_id}});
    add_audio_item(item_id);

    bool transcribed = false;
    const auto transcribe = [&] {
        if (transcribes_input()) send_input_transcription(item_id, transcript, speech_ms);
        transcribed = true;
    };
    // With interrupt_response false a response may still be in progress: then none is created
    // (ServerVad's create_response: "this may fail to create a response if the model is already
    // responding").
    if (detection.create_response && !active_) {
        const FakeTurn turn = turn_for(transcript);
        answered_.push_back(transcript);
        run_turn(turn, transcribe);
    }
    if (!transcribed) transcribe();
}

void FakeConversation::caller_presses(char key) {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch());
    out_.send_as_is({{"type", "input_audio_buffer.dtmf_event_received"},
                     {"event", std::string(1, key)},
                     {"received_at", now.count()}});
}

bool FakeConversation::transcribes_input() const {
    const json::json_pointer transcription("/audio/input/transcription");
    return session_.contains(transcription) && session_[transcription].is_object();
}

void FakeConversation::send_input_transcription(const std::string& item_id,
                                                const std::string& transcript,
                                                std::int64_t speech_ms) {
    // Usage "billed according to the ASR model's pricing": the duration variant
    // ({"type":"duration","seconds"}); the fake's figure is its own audio clock's.
    out_.send(
        {{"type", "conversation.item.input_audio_transcription.completed"},
         {"item_id", item_id},
         {"content_index", 0},
         {"transcript", transcript},
         {"usage", {{"type", "duration"}, {"seconds", static_cast<double>(speech_ms) / 1000.0}}}});
}

void FakeConversation::record_assistant_answers(const json& response) {
    // Called from watch_sent, under the state's lock.
    if (response.value("status", "") != "completed") return;
    auto& said = state_->sideband_calls[call_id_].assistant_said;
    for (const auto& item : response.value("output", json::array())) {
        if (item.value("type", "") != "message" || item.value("role", "") != "assistant") continue;
        for (const auto& part : item.value("content", json::array())) {
            const std::string type = part.value("type", "");
            if (type == "output_text") said.push_back(part.value("text", ""));
            if (type == "output_audio") said.push_back(part.value("transcript", ""));
        }
    }
}

}  // namespace calrt::testing
