#include "my_bookings.hpp"

#include "calrt/calendly/resource_uri.hpp"
#include "calrt/core/text.hpp"
#include "calrt/core/input_validation.hpp"
#include "local_calendar.hpp"
#include "tool_arguments.hpp"

#include <algorithm>

namespace calrt::tools {
namespace asio = boost::asio;

Result<std::string> proven_email(const SelfServiceToolContext& context, const nlohmann::json& arguments) {
    auto given = required_string_argument(arguments, "email");
    if (!given) return given.error();
    auto email = validate_email("email", *given);
    if (!email) return email.error();
    if (context.codes.is_verified(context.conversation_id, *email)) return email;
    return Error::make(ErrorKind::permission_denied, "verification_required",
                       "First prove the email belongs to the person: call send_verification_code, then "
                       "check_verification_code with the code they read from their email. Say nothing about "
                       "their bookings until then.");
}

asio::awaitable<Result<std::vector<MyBooking>>> load_my_bookings(SelfServiceToolContext& context,
                                                                const std::string& email) {
    calendly::ScheduledEventQuery query;
    query.status = "active";
    query.min_start_time = context.clock.now();
    query.invitee_email = email;
    auto events = co_await context.calendly.scheduled_events(std::move(query));
    if (!events) co_return events.error();
    std::vector<MyBooking> bookings;
    for (auto& event : events->items) {
        const auto uuid = calendly::uuid_from_uri(event.uri);
        if (!uuid) continue;
        auto invitees = co_await context.calendly.event_invitees(*uuid);
        if (!invitees) co_return invitees.error();
        // Calendly's invitee_email filter is the host's search; the person's own active record is
        // what proves the booking is theirs.
        const auto own = std::find_if(invitees->begin(), invitees->end(), [&](const calendly::Invitee& invitee) {
            return invitee.status == "active" && ascii_lowercase(invitee.email) == ascii_lowercase(email);
        });
        if (own == invitees->end()) continue;
        bookings.push_back(MyBooking{std::move(event), *own});
    }
    std::sort(bookings.begin(), bookings.end(),
              [](const MyBooking& a, const MyBooking& b) { return a.event.start_time < b.event.start_time; });
    co_return bookings;
}

asio::awaitable<Result<MyBooking>> chosen_booking(SelfServiceToolContext& context, const std::string& email,
                                                 const nlohmann::json& arguments) {
    auto reference = required_string_argument(arguments, "event");
    if (!reference) co_return reference.error();
    auto bookings = co_await load_my_bookings(context, email);
    if (!bookings) {
        co_return Error::make(bookings.error().kind, bookings.error().code,
                              "I could not reach Calendly just now (" + bookings.error().message +
                                  "). Nothing was changed.");
    }
    const MyBooking* booking = find_booking(*bookings, *reference);
    if (booking == nullptr) {
        co_return Error::make(ErrorKind::not_found, "booking_not_found",
                              "That is not one of this person's upcoming meetings. Call find_my_bookings and use "
                              "an `event` from it.");
    }
    co_return *booking;
}

const MyBooking* find_booking(const std::vector<MyBooking>& bookings, std::string_view reference) {
    // The event's URI, or its UUID alone.
    const std::optional<std::string> uuid =
        calendly::is_calendly_uuid(reference) ? std::optional<std::string>(reference) : calendly::uuid_from_uri(reference);
    if (!uuid) return nullptr;
    for (const auto& booking : bookings) {
        if (calendly::uuid_from_uri(booking.event.uri) == uuid) return &booking;
    }
    return nullptr;
}

std::string spoken_booking(const SelfServiceToolContext& context, const MyBooking& booking) {
    const std::string name = booking.event.name.value_or("meeting");
    return "the " + name + " on " + spoken_date_time(context.person_zone.to_local(booking.event.start_time));
}

nlohmann::json describe_booking(const SelfServiceToolContext& context, const MyBooking& booking) {
    const auto& event = booking.event;
    nlohmann::json out{
        {"event", event.uri},
        {"event_type", event.event_type},
        {"name", event.name.value_or("")},
        {"start_time", context.person_zone.to_local(event.start_time).to_rfc3339()},
        {"end_time", context.person_zone.to_local(event.end_time).to_rfc3339()},
        {"spoken", spoken_date_time(context.person_zone.to_local(event.start_time))},
        {"timezone", context.person_zone.name()},
        {"shared_with_others", booking.shared()},
        {"cancel_url", booking.invitee.cancel_url.value_or("")},
        {"reschedule_url", booking.invitee.reschedule_url.value_or("")},
    };
    if (event.location_type) out["location"] = {{"type", *event.location_type}};
    if (event.location) out["location"]["location"] = *event.location;
    if (event.join_url) out["location"]["join_url"] = *event.join_url;
    return out;
}

std::optional<nlohmann::json> too_late_to_change(const SelfServiceToolContext& context, const MyBooking& booking,
                                                 std::string_view action) {
    const Timestamp now = context.clock.now();
    if (booking.event.start_time - now >= context.min_notice && booking.event.start_time > now) return std::nullopt;
    std::string message = "It is too close to the start of " + spoken_booking(context, booking) + " to " +
                          std::string(action) + " it here";
    if (context.min_notice.count() > 0) {
        message += " (the host takes changes up to " + std::to_string(context.min_notice.count()) +
                   " hours before)";
    }
    message += ". ";
    message += context.fallback_url.empty()
                   ? "The person can contact the host directly."
                   : "The person can contact the host through " + context.fallback_url + ".";
    return tool_error("too_late_to_change", message);
}

}  // namespace calrt::tools
