#pragma once
// Live booking confirmation: Calendly's invitee.created webhook (developer.calendly.com, "Webhook
// payloads": payload.email, payload.timezone, payload.uri, payload.scheduled_event.name and
// .start_time) turned into the conversation item the relay adds so the model tells the person,
// while still talking, that the booking went through.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "calrt/core/time.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/tools/calendly_tools.hpp"

namespace calrt::server {

struct BookingConfirmation {
    std::string email;
    std::string event_type_uri;  // payload.scheduled_event.event_type
    std::optional<Timestamp> start;  // payload.scheduled_event.start_time, when readable
    std::string invitee_uri;  // identifies the booking (a redelivery repeats it)
    std::string tracking;     // payload.tracking.utm_content: the link's token, when booked through one
    std::string event_name;
    std::string start_time;  // RFC 3339, in the invitee's time zone when it is known
    std::string timezone;    // the invitee's IANA zone; may be empty
    // For the page's booking card (calrt.booking_confirmed); each may be empty.
    std::string start_utc;       // payload.scheduled_event.start_time, as Calendly sent it
    std::string end_utc;         // payload.scheduled_event.end_time
    std::string cancel_url;      // payload.cancel_url
    std::string reschedule_url;  // payload.reschedule_url
    nlohmann::json location;     // {type, location, join_url} of payload.scheduled_event.location, or null
    // Who the person meets: the user_name of each of payload.scheduled_event.event_memberships
    // (a round robin's assigned host, a collective's every host), never their emails. Said and
    // shown only in organization mode (the one host of a single-host deployment goes unsaid).
    std::vector<std::string> hosts{};
};

// Nullopt when `raw_body` is not an invitee.created envelope with a payload email.
std::optional<BookingConfirmation> booking_confirmation(std::string_view raw_body,
                                                        TimeZoneCache& time_zones);

// conversation.item.create adding a system message that states the confirmed booking and asks the
// model to tell the person.
nlohmann::json confirmation_item(const BookingConfirmation& booking);

// {"type":"calrt.booking_confirmed","invitee","event_name","start_time","end_time","timezone",
// "location","cancel_url","reschedule_url"}: the relay's event telling the page (docs/api.md) about a
// booking of this conversation that Calendly confirmed, so it can show the booking card.
nlohmann::json booking_confirmed_event(const BookingConfirmation& booking);

// Emails compare without regard to case (Calendly may normalise them).
std::string normalized_email(std::string_view email);

// Whether `booking` is the one `expected` set in motion. A link (schedule_call): booked through it,
// i.e. its tracking token came back, for the same meeting type (the person may change the email on
// the page). A direct booking (book_meeting): the same email (ignoring case), meeting type and
// start, and once POST /invitees answered, its invitee URI alone (review N4). Never the email alone: a session that asked for a link in someone else's name must not
// hear about that person's own bookings.
bool matches(const BookingConfirmation& booking, const tools::ExpectedBooking& expected);

}  // namespace calrt::server
