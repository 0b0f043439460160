#pragma once
// Calendly webhook signatures (developer.calendly.com, "Webhook Signatures"). Each delivery has
//   Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
// where v1 = hex(HMAC-SHA256(signing key, t + "." + raw body)). A header may carry several v1
// values (e.g. while a key is rotated); one match is enough. Checking the timestamp against a
// tolerance (DESIGN.md: 180 s) stops replays of captured deliveries.

#include "calrt/core/error.hpp"
#include "calrt/core/secret.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace calrt::calendly {

// Verifies `header` (the Calendly-Webhook-Signature value) for `raw_body`, exactly as received.
// Parts are comma-separated `key=value` pairs in any order, with optional spaces or tabs around
// them; parts with other keys are ignored. v1 values are compared as raw digest bytes in constant
// time (hex case does not matter).
// Errors, all unauthenticated (401) except the last:
//   "missing_webhook_signature"    the header is empty or only whitespace
//   "malformed_webhook_signature"  longer than 4 KiB, no/duplicate/non-numeric t, no v1, or a v1
//                                  that is not 64 hex digits
//   "webhook_signature_mismatch"   no v1 matches the body
//   "stale_webhook_signature"      |now - t| > tolerance (checked after the signature matched)
//   not_configured / "webhook_secret_missing"  the key is empty
Result<void> verify_webhook_signature(std::string_view header, std::string_view raw_body,
                                      const Secret& key, std::chrono::sys_seconds now,
                                      std::chrono::seconds tolerance);

// What can be checked of `header` before the body arrives: it is present and well formed (a t= and
// at least one v1= of 64 hex digits) and its t= lies within `tolerance` of `now`. Same errors as
// verify_webhook_signature, except that no signature is compared. A delivery that fails this would
// fail verification too, so its body need not be read (review item N1); passing it proves nothing.
Result<void> check_webhook_signature_header(std::string_view header, std::chrono::sys_seconds now,
                                            std::chrono::seconds tolerance);

// The header Calendly would send for `body` at time `t`: "t=<t>,v1=<lowercase hex>".
// Used by tests, benchmarks and the fuzzer. The fake Calendly signs with its own HMAC code on
// purpose: a fake that reused this function would agree with any bug in it.
std::string sign_webhook_payload(const Secret& key, std::chrono::sys_seconds t,
                                 std::string_view body);

}  // namespace calrt::calendly
