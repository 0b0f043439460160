#include "calrt/core/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace calrt {
namespace {

bool is_continuation(unsigned char byte) noexcept { return (byte & 0xC0) == 0x80; }

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[pos + k]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) return 1;
    std::size_t width = 0;
    // The second byte's range depends on the lead (RFC 3629 section 4): this is what excludes
    // overlong forms (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and > U+10FFFF.
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        width = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        width = 3;
        if (lead == 0xE0) second_min = 0xA0;
        if (lead == 0xED) second_max = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        width = 4;
        if (lead == 0xF0) second_min = 0x90;
        if (lead == 0xF4) second_max = 0x8F;
    } else {
        return 0;
    }
    if (pos + width > text.size()) return 0;
    if (byte(1) < second_min || byte(1) > second_max) return 0;
    for (std::size_t k = 2; k < width; ++k) {
        if (!is_continuation(byte(k))) return 0;
    }
    return width;
}

bool is_valid_utf8(std::string_view text) noexcept {
    // Most of what passes here is ASCII (base64 audio above all: a relayed session's bulk), so
    // eight bytes at a time are checked for a high bit before decoding sequence by sequence.
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    for (std::size_t i = 0; i < text.size();) {
        if (text.size() - i >= sizeof(std::uint64_t)) {
            std::uint64_t word;
            std::memcpy(&word, text.data() + i, sizeof word);
            if ((word & kHighBits) == 0) {
                i += sizeof word;
                continue;
            }
        }
        const std::size_t width = utf8_sequence_length(text, i);
        if (width == 0) return false;
        i += width;
    }
    return true;
}

}  // namespace calrt
