#pragma once
// Unguessable random text from the operating system's generator (OpenSSL's RAND_bytes): secrets
// generated for a run, and tokens that tell this service's own links apart.

#include <cstddef>
#include <cstdint>
#include <string>

namespace calrt {

// `bytes` random bytes as lowercase hex (twice as many characters). Throws std::runtime_error when
// the generator has no entropy (nothing sensible can go on without it).
std::string random_hex(std::size_t bytes);

// A uniformly random number in [0, bound) (bound > 0), without modulo bias: one-time codes.
// Throws like random_hex.
std::uint32_t random_below(std::uint32_t bound);

}  // namespace calrt
