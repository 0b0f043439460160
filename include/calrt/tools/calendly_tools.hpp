#pragma once
// The assistant's four Calendly tools: get_available_meeting_types, check_meeting_availability,
// schedule_call and book_meeting. Each is a spec (name, description and JSON schema the model
// reads) and an async handler over the Calendly client that answers with the data plus a short
// `message` the assistant can say. A bad argument or a Calendly refusal is an error result
// (tool_error) the model can recover from; when Calendly fails, the answer carries a booking link
// the person can use by themselves and a plain apology (`"fallback": true`).
//
// The handlers check the arguments themselves too (they are public so tests and the sandbox can
// call them without the registry), so they never rely on the registry's schema check alone.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/core/time.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/tools/booking_caps.hpp"
#include "calrt/tools/slots_seen_open.hpp"
#include "calrt/tools/team_scope.hpp"
#include "calrt/tools/tool_registry.hpp"

namespace calrt::tools {

// What the Calendly tools work with. The handlers share ownership of the context itself; what it
// borrows (client, zones, clock) must outlive the registry and any call still running after a
// dispatch timeout (ToolRegistry::wait_until_idle).
// A booking a tool has set in motion, as Calendly's invitee.created webhook will describe it.
struct ExpectedBooking {
    std::string email;           // as the person gave it
    std::string event_type_uri;  // the type booked, or offered by the link
    std::optional<Timestamp> start_time;  // book_meeting: the slot; schedule_call: unknown
    std::string tracking;  // schedule_call: the link's utm_content token (link_tracking)
    // book_meeting, once POST /invitees answered with a booking: its invitee URI. A confirmation
    // then matches this booking only, never another person's booking of the same slot (review N4).
    std::string invitee_uri{};
};

// What came of a booking book_meeting set in motion (on_booking_settled).
enum class BookingSettlement {
    booked,     // Calendly answered with the booking: ExpectedBooking::invitee_uri is set
    refused,    // Calendly booked nothing: the expectation is withdrawn
    uncertain,  // the answer was lost: a booking may exist; email, type and start decide
};

struct CalendlyToolContext {
    calendly::CalendlyClient& calendly;
    // CALENDLY_FALLBACK_URL: the public booking page offered when Calendly's API fails; may be
    // empty.
    std::string fallback_url;
    TimeZoneCache& time_zones;
    const Clock& clock;
    // Put on every link schedule_call makes as utm_content (Calendly keeps it with the booking),
    // so bookings made through this conversation's links can be recognised. May be empty.
    std::string link_tracking;
    // Called when schedule_call is about to make a link for a meeting type, or just before
    // book_meeting books a slot (Calendly's webhook can overtake POST /invitees' answer), so the
    // relay can confirm the booking live when a matching invitee.created webhook arrives. Answers
    // false to refuse (the relay's per-conversation limit): the tool then answers
    // "booking_limit_reached" and asks Calendly nothing. May be empty.
    std::function<bool(const ExpectedBooking& booking)> on_expected_booking;
    // The service's bookings and links per UTC day, and bookings per client address and per email,
    // shared with the REST API and every replica (they email whoever is named, so a
    // prompt-injected assistant must not be able to mail the world). Past a cap book_meeting books
    // nothing and offers the public page; schedule_call offers the public page with the same
    // prefill instead of a single-use link. Null: not limited.
    BookingCaps* booking_caps = nullptr;
    // One conversation's memory of open slots (slots_seen_open.hpp). Null: book_meeting always
    // checks the slot with Calendly before booking it.
    std::shared_ptr<SlotsSeenOpen> slots_seen_open{};
    // The conversation's client address (server::address_bucket), which book_meeting's per-address
    // daily cap counts under. Empty: not counted per address.
    std::string client_address{};
    // Called once for each booking book_meeting registered with on_expected_booking, when POST
    // /invitees has answered, so the relay matches the confirmation to the booking Calendly made
    // (or forgets the expectation when nothing was booked). May be empty.
    std::function<void(const ExpectedBooking& booking, BookingSettlement settlement)> on_booking_settled{};
    // BOOKING_REQUIRES_VERIFIED_EMAIL: whether this email was proven in the conversation
    // (verification_tools.hpp). When set and false, book_meeting books nothing and asks Calendly
    // nothing: nobody fills the host's calendar with made-up or other people's addresses. Empty:
    // any valid email may be booked.
    std::function<bool(std::string_view email)> email_verified{};
    // A phone call's caller number as the SIP From header gave it (phone/phone_calls.hpp):
    // untrusted, never proof of who calls. When set, book_meeting offers
    // `text_reminders_to_calling_number`, which the assistant sets only after the person said yes;
    // the number itself never comes from the model. Empty: not a phone call, or no number.
    std::string caller_number{};
    // Organization mode: the organization's types this conversation offers (team_scope.hpp). Null:
    // the token's user is the one host and their types are offered.
    std::shared_ptr<const TeamScope> team{};
};

// The types the conversation offers: the scope's (organization mode), else the host's own; active
// and not secret.
boost::asio::awaitable<Result<std::vector<calendly::EventType>>> offered_types(CalendlyToolContext& context);

// Adds the four tools; each handler keeps `context` alive while it runs.
void register_calendly_tools(ToolRegistry& registry, std::shared_ptr<CalendlyToolContext> context);

ToolSpec get_available_meeting_types_spec();
// `several_types`: organization mode (CalendlyToolContext::team), which also takes `event_types`.
ToolSpec check_meeting_availability_spec(bool several_types = false);
ToolSpec schedule_call_spec();
// `offers_calling_number`: a phone call with a caller number (CalendlyToolContext::caller_number).
ToolSpec book_meeting_spec(bool offers_calling_number = false);

// {} -> {"event_types": [{"name", "duration_minutes", "description", "booking_url", "uri"}],
// "message"}
boost::asio::awaitable<nlohmann::json> get_available_meeting_types(CalendlyToolContext& context,
                                                                   const nlohmann::json& arguments);

// {event_type?, start_date?, end_date?, timezone?} -> open slots grouped by day in the caller's
// time zone: {"event_type", "timezone", "start_date", "end_date", "days": [{"date", "weekday",
// "slots": [RFC 3339 local start times]}], "slot_count", "booking_url", "message"}; or, when the
// host has several meeting types and none was named, {"needs_event_type": true, "event_types",
// "message"}; or, in organization mode with `event_types` (up to 4 types, read 2 at a time),
// {"timezone", "start_date", "end_date", "event_types": [each type's answer without its message],
// "message"}.
boost::asio::awaitable<nlohmann::json> check_meeting_availability(CalendlyToolContext& context,
                                                                  const nlohmann::json& arguments);

// {name, email, purpose?, event_type?} -> {"booking_url", "fallback", "event_type", "message"}: a
// single-use booking link with name and email (and purpose) prefilled.
boost::asio::awaitable<nlohmann::json> schedule_call(CalendlyToolContext& context,
                                                     const nlohmann::json& arguments);

// {event_type, start_time, name, email, timezone, location?, answers?} -> {"booked": true,
// "event_type", "start_time" (in the caller's zone), "timezone", "cancel_url", "reschedule_url",
// "event", "message"}; or, when the slot is taken, {"booked": false, "reason": "slot_unavailable",
// "nearest_available_times", "message"} and nothing is booked; or, when the type needs details not
// given, an error result "booking_details_required" / "invalid_booking_details" naming what to ask
// (before any booking call); or, with BOOKING_REQUIRES_VERIFIED_EMAIL and an email not proven in
// the conversation, the error result "email_not_verified" (before any Calendly call); or, for a type that can only be booked by link or a plan without the
// Scheduling API, schedule_call's single-use link with {"booked": false, "reason"}.
boost::asio::awaitable<nlohmann::json> book_meeting(CalendlyToolContext& context,
                                                    const nlohmann::json& arguments);

}  // namespace calrt::tools
