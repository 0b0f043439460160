#include "testing/fake_realtime/voice_activity.hpp"

#include <algorithm>
#include <cmath>

#include "testing/fake_realtime/pcm16_audio.hpp"

namespace calrt::testing {

using nlohmann::json;

namespace {

constexpr std::size_t kFrameSamples = kPcm16SampleRate / 100;  // 10 ms
constexpr double kFullScaleFractionAtThresholdOne = 0.02;

std::int64_t semantic_silence_ms(const std::string& eagerness) {
    if (eagerness == "low") return 1000;
    if (eagerness == "high") return 250;
    return 500;  // medium, auto
}

}  // namespace

TurnDetection TurnDetection::from_json(const json& turn_detection) {
    TurnDetection settings;
    if (!turn_detection.is_object()) {
        settings.enabled = false;
        return settings;
    }
    const json effective = effective_turn_detection(turn_detection);
    settings.semantic = effective.value("type", "") == "semantic_vad";
    settings.create_response = effective.value("create_response", true);
    settings.interrupt_response = effective.value("interrupt_response", true);
    if (settings.semantic) {
        settings.silence_duration_ms = semantic_silence_ms(effective.value("eagerness", "auto"));
    } else {
        settings.threshold = effective.value("threshold", 0.5);
        settings.prefix_padding_ms = effective.value("prefix_padding_ms", std::int64_t{300});
        settings.silence_duration_ms = effective.value("silence_duration_ms", std::int64_t{500});
    }
    return settings;
}

json effective_turn_detection(const json& requested) {
    if (!requested.is_object()) return nullptr;
    // Defaults: research/openai.md §1.4 (the OpenAPI spec's RealtimeTurnDetection).
    json effective = requested.value("type", "") == "semantic_vad"
                         ? json{{"type", "semantic_vad"},
                                {"eagerness", "auto"},
                                {"create_response", true},
                                {"interrupt_response", true}}
                         : json{{"type", "server_vad"},
                                {"threshold", 0.5},
                                {"prefix_padding_ms", 300},
                                {"silence_duration_ms", 500},
                                {"idle_timeout_ms", nullptr},
                                {"create_response", true},
                                {"interrupt_response", true}};
    for (const auto& [key, value] : requested.items()) effective[key] = value;
    return effective;
}

std::int64_t VoiceActivityDetector::clock_ms() const {
    return static_cast<std::int64_t>(samples_heard_ * 1000 / kPcm16SampleRate);
}

std::vector<VoiceActivityDetector::Change> VoiceActivityDetector::hear(
    const std::vector<std::int16_t>& samples) {
    std::vector<Change> changes;
    for (const auto sample : samples) {
        frame_.push_back(sample);
        if (frame_.size() == kFrameSamples) hear_frame(changes);
    }
    return changes;
}

void VoiceActivityDetector::hear_frame(std::vector<Change>& changes) {
    double energy = 0;
    for (const auto sample : frame_) energy += static_cast<double>(sample) * sample;
    const double rms = std::sqrt(energy / static_cast<double>(frame_.size())) / 32768.0;
    frame_.clear();
    const std::int64_t frame_start_ms = clock_ms();
    samples_heard_ += kFrameSamples;
    if (!settings_.enabled) return;
    const bool speech = rms > settings_.threshold * kFullScaleFractionAtThresholdOne;
    if (speech) {
        silence_ms_ = 0;
        if (!speaking_) {
            speaking_ = true;
            // audio_start_ms "includes the prefix_padding_ms" (research/openai.md §2).
            changes.push_back({true, std::max<std::int64_t>(
                                         0, frame_start_ms - settings_.prefix_padding_ms)});
        }
        return;
    }
    if (!speaking_) return;
    silence_ms_ += 10;
    if (silence_ms_ >= settings_.silence_duration_ms) {
        speaking_ = false;
        silence_ms_ = 0;
        // audio_end_ms "includes the min_silence_duration_ms" (openai-python
        // input_audio_buffer_speech_stopped_event.py).
        changes.push_back({false, clock_ms()});
    }
}

void VoiceActivityDetector::clear() {
    speaking_ = false;
    silence_ms_ = 0;
}

}  // namespace calrt::testing
