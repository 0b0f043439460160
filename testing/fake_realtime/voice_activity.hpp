#pragma once
// The fake Realtime server's voice activity detection: when the person starts and stops speaking,
// from the PCM16 audio itself, on an audio clock (milliseconds of audio received, not wall time:
// tests send audio as fast as they like).
//
// Settings are the session's audio.input.turn_detection (research/openai.md §1.4, openai-python
// realtime_audio_input_turn_detection.py): server_vad {threshold 0.5, prefix_padding_ms 300,
// silence_duration_ms 500, create_response true, interrupt_response true}, semantic_vad
// {eagerness auto, create_response true, interrupt_response true}, null: off. The real server's
// detectors are models; this one measures energy, which is all the fake's tests need:
// - a 10 ms frame is speech when its RMS exceeds `threshold` x 2% of full scale (the default 0.5
//   gives 1% of full scale, about -40 dBFS): digital silence never is, speech_pcm16_base64()'s
//   tone (30% of full scale, RMS about 21%) always is;
// - semantic_vad has no silence setting; the fake waits eagerness low 1000 ms, medium and auto
//   500 ms ("auto is equivalent to medium"), high 250 ms (the fake's approximation of the real
//   server's model), with a 300 ms prefix padding like server_vad's default.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace calrt::testing {

struct TurnDetection {
    bool enabled = true;  // false: turn_detection null, the client commits and asks for responses
    bool semantic = false;
    double threshold = 0.5;
    std::int64_t prefix_padding_ms = 300;
    std::int64_t silence_duration_ms = 500;
    bool create_response = true;
    bool interrupt_response = true;

    // From a session's audio.input.turn_detection (already validated: null, server_vad or
    // semantic_vad).
    static TurnDetection from_json(const nlohmann::json& turn_detection);
};

// The effective turn_detection object the session reports (session.updated): `requested` with the
// defaults of its type filled in; null stays null.
nlohmann::json effective_turn_detection(const nlohmann::json& requested);

class VoiceActivityDetector {
  public:
    struct Change {
        bool started;           // true: speech started; false: speech stopped
        std::int64_t audio_ms;  // audio_start_ms (minus the prefix padding) or audio_end_ms
    };

    void configure(const TurnDetection& settings) { settings_ = settings; }
    const TurnDetection& settings() const { return settings_; }

    // Hears `samples` (24 kHz); the speech starts and stops they complete, in order.
    std::vector<Change> hear(const std::vector<std::int16_t>& samples);
    // input_audio_buffer.clear: forgets speech under way (the clock keeps running).
    void clear();

    bool speaking() const { return speaking_; }
    std::int64_t clock_ms() const;

  private:
    void hear_frame(std::vector<Change>& changes);

    TurnDetection settings_;
    std::uint64_t samples_heard_ = 0;   // whole frames only
    std::vector<std::int16_t> frame_;   // a partial 10 ms frame
    bool speaking_ = false;
    std::int64_t silence_ms_ = 0;       // since the last speech frame, while speaking
};

}  // namespace calrt::testing
