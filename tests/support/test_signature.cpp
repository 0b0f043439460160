#include "support/test_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace calrt::test {

std::string calendly_signature(std::string_view key, std::int64_t unix_seconds, std::string_view body) {
    const std::string signed_text = std::to_string(unix_seconds) + "." + std::string(body);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(signed_text.data()),
         signed_text.size(), digest, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0xF];
    }
    return "t=" + std::to_string(unix_seconds) + ",v1=" + hex;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace calrt::test
