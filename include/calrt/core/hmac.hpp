#pragma once
// HMAC-SHA256 (OpenSSL's EVP_MAC) over a message given in parts, streamed so that no part is
// copied: Calendly's webhook signatures (t + "." + body), OpenAI's (id.timestamp.body) and the
// keyed hashes that one-time codes are kept as.

#include <array>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace calrt {

using HmacSha256Digest = std::array<unsigned char, 32>;

// HMAC-SHA256(key, parts[0] + parts[1] + …); nullopt only if OpenSSL cannot compute it.
std::optional<HmacSha256Digest> hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);

}  // namespace calrt
