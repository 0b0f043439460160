#pragma once
// Calendly webhook bodies for tests, shaped like Calendly's envelope:
// {"event","created_at","created_by","payload":{"uri",...}}.

#include <string>
#include <string_view>

namespace calrt::test {

// `created_at` defaults to a fixed RFC 3339 time; distinct `payload_uri`s make distinct deliveries.
std::string webhook_envelope(std::string_view event, std::string_view payload_uri,
                             std::string_view created_at = "2024-05-01T10:00:00.000000Z");

// An invitee URI unique per `n`, in Calendly's form.
std::string invitee_uri(int n);

}  // namespace calrt::test
