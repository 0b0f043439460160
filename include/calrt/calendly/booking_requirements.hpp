#pragma once
// What POST /invitees needs for one event type beyond the invitee's name, email and time zone, and
// turning what a person gave (a location choice, a phone number, answers) into the request's
// `location` and `questions_and_answers`, checked before anything is sent to Calendly.
//
// Calendly expects the location the event type is configured with (none for a type without a
// location specification) and answers to its required custom questions (developer.calendly.com,
// "Create Event Invitee"); a request without them is refused with 400.

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/models.hpp"
#include "calrt/core/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::calendly {

// What the invitee must say for a location kind.
enum class InviteeSupplies {
    nothing,       // conferencing kinds, physical, inbound_call, custom: Calendly fills it in
    phone_number,  // outbound_call: the number the host calls, E.164
    details,       // ask_invitee: where the invitee wants to meet, in their words
};

struct LocationOption {
    std::string kind;         // as Calendly names it, unknown kinds included
    std::string description;  // for the person, e.g. "Zoom", "a phone call: the host calls you"
    InviteeSupplies invitee_supplies = InviteeSupplies::nothing;
};

struct QuestionToAsk {
    std::string question;  // CustomQuestion::name
    std::string type;
    std::int64_t position = 0;
    bool required = false;
    std::vector<std::string> choices;  // single_select, multi_select
    bool include_other = false;
};

struct BookingRequirements {
    // The type's locations in Calendly's order; empty: the request carries no location. With more
    // than one, the person chooses.
    std::vector<LocationOption> locations;
    // The type's enabled custom questions in position order.
    std::vector<QuestionToAsk> questions;
    // Set when a conversation cannot book this type directly (e.g. a required question of a type
    // that cannot be answered in words): the single-use link is offered instead, with this reason.
    std::optional<std::string> link_only_reason;
};

BookingRequirements booking_requirements(const EventType& event_type);

// `text` as an E.164 number ("+" then 8 to 15 digits, the first not 0), with the spaces, dashes,
// dots and parentheses people put between groups removed; none when it is not one.
std::optional<std::string> normalized_e164(std::string_view text);

// What a person gave: the REST book action's and book_meeting's optional `location`
// ({"kind", "phone_number" | "details"}) and `answers` ([{"question", "answer"}]).
struct GivenLocation {
    std::string kind;  // may be empty when the type offers one location
    std::optional<std::string> phone_number;
    std::optional<std::string> details;
};
struct GivenAnswer {
    std::string question;
    std::string answer;
};
struct GivenBookingDetails {
    std::optional<GivenLocation> location;
    std::vector<GivenAnswer> answers;
};

struct ResolvedBookingDetails {
    std::optional<InviteeLocation> location;
    std::vector<InviteeAnswer> answers;
};

// The request's `location` and `questions_and_answers` for `event_type`, or:
//   invalid_argument / "booking_details_required": something the type needs is missing (a
//       location choice among several, the invitee's phone number or answer, a required
//       question's answer); `details` names each ({"parameter": "location.phone_number", ...})
//       and the message says what to ask;
//   invalid_argument / "invalid_booking_details": something given is wrong (a kind the type does
//       not offer, a phone number not in E.164, a choice not offered, an unknown question);
//   invalid_argument / "booking_requires_link": the type cannot be booked in a conversation
//       (BookingRequirements::link_only_reason).
// When something is wrong and something else missing, the error is invalid_booking_details.
Result<ResolvedBookingDetails> resolve_booking_details(const EventType& event_type,
                                                       const GivenBookingDetails& given);

}  // namespace calrt::calendly
