#pragma once
// Which of the host's meeting types a person means. People and the model name a type the way it
// reads on the booking page ("30 minute meeting"), by its slug ("30min"), or by the UUID/URI an
// earlier tool answer gave; all four are accepted.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "calrt/calendly/models.hpp"
#include "calrt/calendly/offered_event_types.hpp"

namespace calrt::tools {

// The types the assistant may offer: calendly::offered_event_types (active, not secret).
using calendly::offered_event_types;

// The type whose URI, UUID, labelled_name, slug or name (ASCII case-insensitive, surrounding
// spaces ignored) equals `wanted`, or nullptr.
const calendly::EventType* find_event_type(const std::vector<calendly::EventType>& types,
                                           std::string_view wanted);

// The name people see: the type's name, else its slug, else "Meeting".
std::string display_name(const calendly::EventType& type);

// Organization mode: who hosts it, "Dana Whitfield", "Dana, Priya or Marcus" (round robin: one of
// them) or "Alex, Dana and Priya" (collective: all of them); empty outside organization mode.
std::string hosts_text(const calendly::EventType& type);
// display_name, with " with <hosts_text>" in organization mode.
std::string labelled_name(const calendly::EventType& type);

// {"name", "duration_minutes", "description", "booking_url", "uri"}, and in organization mode
// "hosts" (names) and "pooling" ("round_robin", "collective") when Calendly pools the hosts.
nlohmann::json event_type_summary(const calendly::EventType& type);

// event_type_summary plus "booking": what booking it needs from the person
// (calendly::booking_requirements_json), so the assistant asks before calling book_meeting.
nlohmann::json event_type_with_booking(const calendly::EventType& type);

// "15 Minute Meeting (15 min), 30 Minute Meeting (30 min)"
std::string list_event_types(const std::vector<calendly::EventType>& types);

// rate_limited / "booking_limit_reached": the relay's per-conversation limit on bookings and
// links was reached (the type's public page is offered instead).
Error booking_limit_reached(const calendly::EventType& type);

// rate_limited / "daily_booking_limit_reached": the service has booked as many meetings today as
// DAILY_BOOKING_LIMIT allows (the type's public page is offered instead).
Error daily_booking_limit_reached(const calendly::EventType& type);

// not_found / "no_event_types": the host offers nothing to book.
Error no_event_types();

// The invalid_argument / "unknown_event_type" error for a name that matched nothing, listing the
// names that would.
Error unknown_event_type(std::string_view wanted, const std::vector<calendly::EventType>& types);

}  // namespace calrt::tools
