#pragma once
// The person's own upcoming bookings with the host, for the self-service tools: only events where
// the proven email is an active invitee, each with that invitee record.

#include "calrt/tools/self_service_tools.hpp"

#include <string>
#include <vector>

namespace calrt::tools {

struct MyBooking {
    calendly::ScheduledEvent event;
    calendly::Invitee invitee;  // the person's own, active
    // Other active invitees share the event (a group event): it is never cancelled for one.
    bool shared() const { return event.invitees_active > 1; }
};

// The arguments' `email`, when it is an address proven in this conversation; otherwise the error
// every self-service tool answers before anything else (invalid_email, or verification_required,
// which says nothing that depends on the email's bookings).
Result<std::string> proven_email(const SelfServiceToolContext& context, const nlohmann::json& arguments);

// The person's upcoming booking the arguments' `event` names (its URI or UUID). Errors:
// booking_not_found, or Calendly's failure (the message says nothing was changed).
boost::asio::awaitable<Result<MyBooking>> chosen_booking(SelfServiceToolContext& context, const std::string& email,
                                                         const nlohmann::json& arguments);

// GET /scheduled_events?invitee_email=…&status=active&min_start_time=now (all pages), then each
// event's invitees, keeping the events where `email` is an active invitee. Sorted by start.
boost::asio::awaitable<Result<std::vector<MyBooking>>> load_my_bookings(SelfServiceToolContext& context,
                                                                       const std::string& email);

// The booking `reference` names (an event URI or its UUID) among `bookings`.
const MyBooking* find_booking(const std::vector<MyBooking>& bookings, std::string_view reference);

// What the page and the model get for one booking.
nlohmann::json describe_booking(const SelfServiceToolContext& context, const MyBooking& booking);

// "the 30 Minute Meeting on Tuesday, May 5 at 3:00 PM CEST"
std::string spoken_booking(const SelfServiceToolContext& context, const MyBooking& booking);

// nullopt when the booking may be changed here now; otherwise the error result that says why and
// what the person can do instead (SELF_SERVICE_MIN_NOTICE_HOURS, a meeting already started).
std::optional<nlohmann::json> too_late_to_change(const SelfServiceToolContext& context, const MyBooking& booking,
                                                 std::string_view action);

}  // namespace calrt::tools
