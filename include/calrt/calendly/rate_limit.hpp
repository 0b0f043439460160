#pragma once
// Calendly's rate limit headers (developer.calendly.com, "Rate Limits"): every response carries
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset, the last being the number of
// seconds until the window resets (typically 60). A 429 may also carry Retry-After.

#include "calrt/net/http_client.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace calrt::calendly {

struct RateLimitHeaders {
    std::string_view limit;        // X-RateLimit-Limit
    std::string_view remaining;    // X-RateLimit-Remaining
    std::string_view reset;        // X-RateLimit-Reset
    std::string_view retry_after;  // Retry-After

    // Views into `headers` (names compared case-insensitively): keep the response alive.
    static RateLimitHeaders from(const net::HeaderList& headers);

    // How long Calendly asks us to wait: Retry-After when it is a number of seconds, else
    // X-RateLimit-Reset; nullopt when neither is a usable number. Capped at one day.
    std::optional<std::chrono::seconds> wait() const;
    // X-RateLimit-Remaining as a number, for the remaining-budget metric.
    std::optional<std::int64_t> remaining_requests() const;
};

// A non-negative number of seconds as HTTP headers write them ("60", " 60 ", "1.5" rounds up);
// nullopt for anything else, including HTTP dates. Capped at one day.
std::optional<std::chrono::seconds> parse_header_seconds(std::string_view text);

}  // namespace calrt::calendly
