#pragma once
// Base64 and PCM16 for the fake Realtime server's audio: input_audio_buffer.append carries base64
// 16-bit little-endian PCM, 24 kHz mono (research/openai.md §1.3: "audio/pcm", rate 24000 is the
// only rate the API takes).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::testing {

inline constexpr int kPcm16SampleRate = 24'000;

// The samples in base64 `text`; nullopt when it is not base64 of whole 16-bit samples.
std::optional<std::vector<std::int16_t>> decode_pcm16_base64(std::string_view text);

// `samples` as base64 little-endian PCM16.
std::string encode_pcm16_base64(const std::vector<std::int16_t>& samples);

}  // namespace calrt::testing
