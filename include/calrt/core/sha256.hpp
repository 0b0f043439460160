#pragma once
// SHA-256 (OpenSSL's EVP digest), for identities derived from content.

#include <string>
#include <string_view>

namespace calrt {

// The digest of `data` as 64 lowercase hex characters.
std::string sha256_hex(std::string_view data);

}  // namespace calrt
