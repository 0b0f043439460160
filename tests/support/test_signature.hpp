#pragma once
// Calendly-Webhook-Signature values computed the way Calendly documents them, with OpenSSL directly:
// independent of the product's own signing code, so a test can catch a mistake in it.

#include <chrono>
#include <string>
#include <string_view>

namespace calrt::test {

// "t=<unix>,v1=<hex HMAC-SHA256(key, t + "." + body)>"
std::string calendly_signature(std::string_view key, std::int64_t unix_seconds, std::string_view body);
std::int64_t unix_now();

}  // namespace calrt::test
