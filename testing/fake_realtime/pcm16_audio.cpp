#include "testing/fake_realtime/pcm16_audio.hpp"

#include <array>

namespace calrt::testing {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// -1 for a character outside the alphabet.
constexpr std::array<int, 256> decoding_table() {
    std::array<int, 256> table{};
    for (auto& entry : table) entry = -1;
    for (std::size_t i = 0; i < kAlphabet.size(); ++i)
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
    return table;
}

}  // namespace

std::optional<std::vector<std::int16_t>> decode_pcm16_base64(std::string_view text) {
    static constexpr auto kTable = decoding_table();
    if (text.size() % 4 != 0) return std::nullopt;
    std::vector<unsigned char> bytes;
    bytes.reserve(text.size() / 4 * 3);
    for (std::size_t at = 0; at < text.size(); at += 4) {
        std::uint32_t group = 0;
        int padding = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            const char c = text[at + i];
            if (c == '=' && at + 4 == text.size() && i >= 2) {
                ++padding;
                group <<= 6;
                continue;
            }
            const int value = kTable[static_cast<unsigned char>(c)];
            if (value < 0 || padding > 0) return std::nullopt;
            group = (group << 6) | static_cast<std::uint32_t>(value);
        }
        bytes.push_back(static_cast<unsigned char>(group >> 16));
        if (padding < 2) bytes.push_back(static_cast<unsigned char>((group >> 8) & 0xFF));
        if (padding < 1) bytes.push_back(static_cast<unsigned char>(group & 0xFF));
    }
    if (bytes.size() % 2 != 0) return std::nullopt;
    std::vector<std::int16_t> samples(bytes.size() / 2);
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const auto value = static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
        samples[i] = static_cast<std::int16_t>(value);
    }
    return samples;
}

std::string encode_pcm16_base64(const std::vector<std::int16_t>& samples) {
    std::vector<unsigned char> bytes;
    bytes.reserve(samples.size() * 2);
    for (const auto sample : samples) {
        const auto value = static_cast<std::uint16_t>(sample);
        bytes.push_back(static_cast<unsigned char>(value & 0xFF));
        bytes.push_back(static_cast<unsigned char>(value >> 8));
    }
    std::string text;
    text.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t at = 0; at < bytes.size(); at += 3) {
        const std::size_t left = bytes.size() - at;
        std::uint32_t group = static_cast<std::uint32_t>(bytes[at]) << 16;
        if (left > 1) group |= static_cast<std::uint32_t>(bytes[at + 1]) << 8;
        if (left > 2) group |= bytes[at + 2];
        text += kAlphabet[(group >> 18) & 0x3F];
        text += kAlphabet[(group >> 12) & 0x3F];
        text += left > 1 ? kAlphabet[(group >> 6) & 0x3F] : '=';
        text += left > 2 ? kAlphabet[group & 0x3F] : '=';
    }
    return text;
}

}  // namespace calrt::testing
