#pragma once
// The event types the host offers to the public: active and not secret. Calendly hides secret
// types from the host's booking page and shares them by link only, so neither the public REST API
// nor the assistant lists, quotes availability for or books them (review item M6), and nothing
// public reaches an event type that is not the host's.

#include "calrt/calendly/models.hpp"

#include <string_view>
#include <vector>

namespace calrt::calendly {

bool is_offered(const EventType& type) noexcept;

std::vector<EventType> offered_event_types(const std::vector<EventType>& types);

// The offered type whose URI ends in the UUID `uuid` (or whose URI is `uuid`), or nullptr.
const EventType* find_offered_event_type(const std::vector<EventType>& types, std::string_view uuid);

}  // namespace calrt::calendly
