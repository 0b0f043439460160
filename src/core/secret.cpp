#include "calrt/core/secret.hpp"

#include <openssl/crypto.h>

namespace calrt {

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    // CRYPTO_memcmp inspects every byte; only the length (not secret) decides early.
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace calrt
