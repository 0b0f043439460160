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

// The answer every self-service tool gives before anything else, for an email not proven here.
// Nothing in it depends on the email's bookings.
std::optional<nlohmann::json> unless_verified(const SelfServiceToolContext& context, const std::string& email);

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
