#pragma once
// UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing above U+10FFFF. Text
// from outside (request paths, query values, upstream bodies) may hold any bytes; whatever we echo
// into JSON or a log line must still be valid UTF-8, or strict JSON readers and log shippers
// reject the whole document.

#include <cstddef>
#include <string_view>

namespace calrt {

// The length (1 to 4) of the well-formed UTF-8 sequence starting at text[pos], or 0 when the
// bytes there are not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) noexcept;

bool is_valid_utf8(std::string_view text) noexcept;

// U+FFFD REPLACEMENT CHARACTER, what each invalid byte becomes.
inline constexpr std::string_view kUtf8Replacement = "\xEF\xBF\xBD";

}  // namespace calrt
