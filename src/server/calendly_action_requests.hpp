#pragma once
// What each /api/calendly action was asked, as a typed and validated request, before any Calendly
// call: a pure function of the action's parameters per action (plus the clock's "now" and the
// time zone files where the action needs them). The handlers in calendly_read_actions.cpp and
// calendly_write_actions.cpp run these first and talk to Calendly only with what they return, so
// bad input never reaches Calendly, and the whole syntax check can be tested and fuzzed
// (fuzz/rest_body_fuzz.cpp) without a network.
//
// Only syntax and validation live here. Whatever needs Calendly to decide (is this event type one
// the host offers? is the slot still free?) stays in the handler, after the parser.
//
// Errors are the 400s the route answers, checked in the order the fields appear below: the first
// problem wins.

#include "calrt/calendly/booking_requirements.hpp"
#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/personalized_link.hpp"
#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/server/request_validation.hpp"

#include <optional>
#include <string>

namespace calrt::server {

// GET event-info: exactly one of uuid or uri.
struct EventInfoRequest {
    std::string event_type_id;  // UUID
};
Result<EventInfoRequest> event_info_request_from(const ActionParams& params);

// GET availability: event_type, start_time, end_time[, timezone].
struct AvailabilityRequest {
    std::string event_type_id;  // UUID
    calendly::TimeRange range;  // end after start
    std::optional<TimeZone> time_zone;  // local times are added to each slot when given
};
Result<AvailabilityRequest> availability_request_from(const ActionParams& params, TimeZoneCache& zones);

// GET scheduled-events: [status][, min_start_time][, max_start_time][, invitee_email].
Result<calendly::ScheduledEventQuery> scheduled_events_query_from(const ActionParams& params);

// POST create-link: name, email[, purpose][, event_type].
Result<calendly::PersonalizedLinkRequest> create_link_request_from(const ActionParams& params);

// POST book: event_type, start_time (after `now`), name, email, timezone[, location][, answers].
struct BookRequest {
    std::string event_type_id;  // UUID
    Timestamp start_time;
    std::string name;
    std::string email;
    TimeZone time_zone;
    // location {"kind", "phone_number" | "details"} and answers [{"question", "answer"}], checked
    // against the event type (calendly::resolve_booking_details) once it is known.
    calendly::GivenBookingDetails details;
};
Result<BookRequest> book_request_from(const ActionParams& params, Timestamp now, TimeZoneCache& zones);

// POST cancel: uuid[, reason].
struct CancelRequest {
    std::string event_uuid;
    std::string reason;  // empty when not given
};
Result<CancelRequest> cancel_request_from(const ActionParams& params);

}  // namespace calrt::server
