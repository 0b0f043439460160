#pragma once
// How far a signed webhook's timestamp is from now, either way. Calendly's `t=` and Standard
// Webhooks' `webhook-timestamp` (OpenAI) are both Unix seconds, and both deliveries are refused
// outside a tolerance so that a captured delivery cannot be replayed later.

#include <chrono>
#include <string_view>

#include "calrt/core/error.hpp"

namespace calrt {

// `timestamp`: Unix seconds in digits (the caller has checked that). `what` names it in the
// message, e.g. "webhook-timestamp". Errors: unauthenticated "stale_webhook_signature" with the
// age and the tolerance.
Result<void> check_signature_age(std::string_view timestamp, std::string_view what,
                                 std::chrono::sys_seconds now, std::chrono::seconds tolerance);

}  // namespace calrt
