#include "calrt/core/random.hpp"

#include <openssl/rand.h>

#include <stdexcept>

namespace calrt {

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
        throw std::runtime_error("no randomness available from the operating system");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes * 2);
    for (const unsigned char c : raw) {
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
    return out;
}

std::uint32_t random_below(std::uint32_t bound) {
    // Draws that fall in the incomplete last block of `bound` values are drawn again, so that
    // every value is equally likely (at most one in two draws is thrown away, for huge bounds).
    const std::uint32_t limit = UINT32_MAX - UINT32_MAX % bound;
    for (;;) {
        std::uint32_t draw = 0;
        if (RAND_bytes(reinterpret_cast<unsigned char*>(&draw), sizeof draw) != 1) {
            throw std::runtime_error("no randomness available from the operating system");
        }
        if (draw < limit) return draw % bound;
    }
}

}  // namespace calrt
