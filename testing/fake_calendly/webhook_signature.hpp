#pragma once
// Calendly's webhook signature header: "t=<unix seconds>,v1=<hex HMAC-SHA256(signing key,
// t + "." + raw body)>" (developer.calendly.com, "Webhook Signatures").

#include <cstdint>
#include <string>
#include <string_view>

namespace calrt::testing::fake {

std::string calendly_webhook_signature(std::string_view signing_key, std::int64_t unix_time,
                                       std::string_view body);

}  // namespace calrt::testing::fake
