#pragma once
// OpenAI's webhook signatures, which follow Standard Webhooks (research/openai-sip.md; openai-node
// src/lib/webhook-signature.ts and src/resources/webhooks/webhooks.ts). Every delivery carries
//   webhook-id: wh_…            unique per event, the same on every retry ("unique id for
//   idempotency") webhook-timestamp: <unix s> the delivery attempt webhook-signature: v1,<base64>
//   [v1,<base64> …]   space-separated, one match is enough
// where each signature is base64(HMAC-SHA256(key, id + "." + timestamp + "." + raw body)) and the
// key is the base64 after the `whsec_` prefix of the project's signing secret (a secret without
// the prefix is used as its UTF-8 bytes, as the SDK does). The SDK refuses timestamps more than
// 300 s old or ahead.

#include <chrono>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"
#include "calrt/core/secret.hpp"

namespace calrt::phone {

// The SDK's default tolerance (webhooks.ts `tolerance: number = 300`), both directions.
inline constexpr std::chrono::seconds openai_webhook_tolerance{300};

// The three header values exactly as received; empty when the header is absent.
struct StandardWebhookHeaders {
    std::string_view id{};
    std::string_view timestamp{};
    std::string_view signature{};
};

// The HMAC key `secret` stands for: base64-decoded after `whsec_`, else its bytes.
// Errors (503): "openai_webhook_secret_missing" when empty, "malformed_openai_webhook_secret" when
// the part after `whsec_` is not base64 (checked at start-up too, so a typo is found early).
Result<Secret> openai_webhook_key(const Secret& secret);

// Verifies one delivery. `raw_body` must be the bytes as received: re-serialised JSON would not
// match. Signatures are compared as raw digests in constant time; entries that are not `v1,` or
// whose base64 does not decode to 32 bytes are skipped (the SDK skips undecodable ones too).
// Errors, all unauthenticated (401) unless noted:
//   "missing_webhook_header"       webhook-id, webhook-timestamp or webhook-signature is absent
//   "malformed_webhook_signature"  a header is too long, the id has control characters, the
//                                  timestamp is not Unix seconds in digits, or no entry is `v1,`
//   "webhook_signature_mismatch"   no v1 signature matches
//   "stale_webhook_signature"      |now - timestamp| > tolerance (checked after a match)
//   the errors of openai_webhook_key (503)
Result<void> verify_openai_webhook(const StandardWebhookHeaders& headers, std::string_view raw_body,
                                   const Secret& secret, std::chrono::sys_seconds now,
                                   std::chrono::seconds tolerance = openai_webhook_tolerance);

// The webhook-signature value OpenAI would send: "v1,<base64>". For tests and the sandbox's
// simulated calls; the fake OpenAI signs with its own code so that a bug here cannot agree with
// itself.
std::string sign_openai_webhook(const Secret& secret, std::string_view id,
                                std::string_view timestamp, std::string_view raw_body);

}  // namespace calrt::phone
