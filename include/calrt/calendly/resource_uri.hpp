#pragma once
// Calendly identifies resources by full URIs ("https://api.calendly.com/event_types/<uuid>") and
// takes the trailing UUID as the path parameter (developer.calendly.com, "API Conventions").
// These helpers check such identifiers before they are put into a request path.

#include <optional>
#include <string>
#include <string_view>

namespace calrt::calendly {

// True for what Calendly uses as a resource id: RFC 4122 UUIDs
// ("c208a750-9214-4c62-9ee6-a1a9507c7b43") and the older 16-character ids ("GBGBDCAADAEDCRZ2").
// Accepted: 1..64 ASCII letters, digits and '-', starting with a letter or digit. That is lenient
// about the exact shape but guarantees a single, safe path segment (no '/', '.', '%', '?').
bool is_calendly_uuid(std::string_view text);

// True for an absolute http(s) URI with a host whose path ends in "/<collection>/<uuid>".
// With `collection` empty any collection name matches; otherwise it must equal it
// ("event_types", "scheduled_events", "users", ...). The host is not checked: tests and the
// sandbox use a loopback base URL.
bool looks_like_calendly_uri(std::string_view uri, std::string_view collection = {});

// The UUID at the end of a resource URI (query and fragment ignored), or nullopt when `uri` does
// not look like a Calendly resource URI.
std::optional<std::string> uuid_from_uri(std::string_view uri);

}  // namespace calrt::calendly
