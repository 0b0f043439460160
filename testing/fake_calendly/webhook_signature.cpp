#include "testing/fake_calendly/webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace calrt::testing::fake {

std::string calendly_webhook_signature(std::string_view signing_key, std::int64_t unix_time,
                                       std::string_view body) {
    const std::string timestamp = std::to_string(unix_time);
    const std::string signed_text = timestamp + "." + std::string(body);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), signing_key.data(), static_cast<int>(signing_key.size()),
              reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(),
              digest, &length)) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string header = "t=" + timestamp + ",v1=";
    for (unsigned int i = 0; i < length; ++i) {
        header += kHex[digest[i] >> 4];
        header += kHex[digest[i] & 0x0f];
    }
    return header;
}

}  // namespace calrt::testing::fake
