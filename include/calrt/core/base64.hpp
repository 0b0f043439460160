#pragma once
// Standard base64 (RFC 4648 §4, alphabet A–Z a–z 0–9 + /, '=' padding), strict on input: Standard
// Webhooks carries signatures and whsec_ signing keys in it (research/openai-sip.md).

#include <optional>
#include <string>
#include <string_view>

namespace calrt {

std::string encode_base64(std::string_view bytes);

// The bytes `text` encodes; nullopt unless `text` is canonical padded base64: a multiple of four
// characters from the alphabet, '=' only as the last one or two. Spaces and line breaks are not
// skipped (a signature never contains them).
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace calrt
