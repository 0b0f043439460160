#include "calrt/store/webhook_delivery.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "calrt/core/json_nesting.hpp"
#include "calrt/core/sha256.hpp"

namespace calrt::store {
namespace {

Error invalid_envelope(std::string message) {
    return Error::make(ErrorKind::invalid_argument, "invalid_webhook_envelope", std::move(message));
}

}  // namespace

bool is_known_webhook_event(std::string_view event) noexcept {
    return std::find(kKnownWebhookEvents.begin(), kKnownWebhookEvents.end(), event) !=
           kKnownWebhookEvents.end();
}

Result<WebhookDelivery> parse_webhook_envelope(std::string_view raw) {
    return parse_webhook_envelope(raw, std::chrono::system_clock::now());
}

Result<WebhookDelivery> parse_webhook_envelope(std::string_view raw,
                                               std::chrono::system_clock::time_point received_at) {
    // Checked before parsing: a stored body is rendered again by every listing, and rendering
    // recurses once per level (json_nesting.hpp).
    if (!json_nesting_within(raw)) {
        return Error::make(ErrorKind::invalid_argument, "too_deeply_nested",
                           "webhook body nests deeper than " + std::to_string(kMaxJsonNesting) + " levels");
    }
    nlohmann::json envelope;
    try {
        envelope = nlohmann::json::parse(raw);
    } catch (const nlohmann::json::parse_error& e) {
        return Error::make(
            ErrorKind::invalid_argument, "invalid_json",
            "webhook body is not valid JSON (error at byte " + std::to_string(e.byte) + ")");
    } catch (const nlohmann::json::exception&) {
        // out_of_range: a number no double can hold (7E999999), which the grammar allows.
        return Error::make(ErrorKind::invalid_argument, "invalid_json",
                           "webhook body has a number out of range");
    }
    if (!envelope.is_object()) {
        return Error::make(ErrorKind::invalid_argument, "invalid_json",
                           "webhook body must be a JSON object with \"event\" and \"payload\"");
    }

    const auto event = envelope.find("event");
    if (event == envelope.end() || !event->is_string() ||
        event->get_ref<const std::string&>().empty()) {
        return invalid_envelope(
            "webhook envelope has no \"event\" string (e.g. \"invitee.created\")");
    }
    const auto payload = envelope.find("payload");
    if (payload == envelope.end() || !payload->is_object()) {
        return invalid_envelope("webhook envelope has no \"payload\" object");
    }
    const auto created_at = envelope.find("created_at");
    if (created_at == envelope.end() || !created_at->is_string()) {
        return invalid_envelope("webhook envelope has no \"created_at\" string");
    }
    std::string payload_uri;
    if (const auto uri = payload->find("uri"); uri != payload->end()) {
        if (!uri->is_string()) return invalid_envelope("webhook payload \"uri\" must be a string");
        payload_uri = uri->get<std::string>();
    }

    // The identity fields are stored as text on both backends, and PostgreSQL's text ends at the
    // first NUL (review N9: one such field would fail the whole group commit it travels in). A
    // "\u0000" escape is the only way a NUL gets here, and no real Calendly identity carries one.
    const std::string_view identity[] = {event->get_ref<const std::string&>(), payload_uri,
                                         created_at->get_ref<const std::string&>()};
    for (const std::string_view field : identity) {
        if (field.find('\0') != std::string_view::npos) {
            return invalid_envelope("webhook envelope \"event\", \"created_at\" and payload \"uri\" "
                                    "must not contain NUL characters");
        }
    }

    WebhookDelivery delivery;
    // dump() writes object keys sorted, so a redelivery that orders its keys differently still
    // matches; invalid UTF-8 cannot occur (the parser refused it).
    if (payload_uri.empty()) delivery.payload_digest = sha256_hex(payload->dump());
    delivery.event = event->get<std::string>();
    delivery.payload_uri = std::move(payload_uri);
    delivery.envelope_created_at = created_at->get<std::string>();
    delivery.raw_body = std::string(raw);
    delivery.received_at = received_at;
    delivery.known_event = is_known_webhook_event(delivery.event);
    return delivery;
}

}  // namespace calrt::store
