#pragma once
// One Calendly webhook delivery as it arrived: the envelope fields that identify it plus the exact
// raw body. Calendly's envelope is {"event","created_at","created_by","payload"} and a retried
// delivery repeats it unchanged, so (event, payload.uri, created_at) identifies a delivery (issue
// 4), and (event, created_at, digest of the payload) one whose payload has no uri.

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"

namespace calrt::store {

struct WebhookDelivery {
    std::string event;                // e.g. "invitee.created"; unknown names are kept as sent
    std::string payload_uri;          // payload.uri; empty when the payload carries none
    // Without a payload.uri, (event, created_at) alone could make two different deliveries one:
    // then the SHA-256 of the payload (as canonical JSON) completes the identity. Empty otherwise.
    std::string payload_digest;
    std::string envelope_created_at;  // the envelope's created_at, verbatim
    std::string raw_body;             // the exact bytes received (what the signature covered)
    std::chrono::system_clock::time_point received_at;  // stored with millisecond precision
    bool known_event = false;                           // one of kKnownWebhookEvents
};

// The events Calendly documents for webhook subscriptions. Calendly adds events over time, so
// others are stored too and only flagged.
inline constexpr std::array<std::string_view, 8> kKnownWebhookEvents = {
    "invitee.created",
    "invitee.canceled",
    "invitee_no_show.created",
    "invitee_no_show.deleted",
    "routing_form_submission.created",
    // developer.calendly.com/release-notes/2026/10/23: "the API already accepts and returns these".
    "event_type.created",
    "event_type.updated",
    "event_type.deleted",
};

bool is_known_webhook_event(std::string_view event) noexcept;

// Reads the envelope of a body whose signature has already been verified. Errors are
// invalid_argument with code `too_deeply_nested` (over kMaxJsonNesting), `invalid_json` (not JSON,
// or not an object) or
// `invalid_webhook_envelope` (no "event" string, no "payload" object, or no "created_at" string:
// the last is part of the identity, and Calendly always sends it). `received_at` defaults to now.
Result<WebhookDelivery> parse_webhook_envelope(std::string_view raw);
Result<WebhookDelivery> parse_webhook_envelope(std::string_view raw,
                                               std::chrono::system_clock::time_point received_at);

}  // namespace calrt::store
