// reschedule_booking {email, event, new_start_time, confirmed?}: moves one of the person's own
// bookings to another open time of the same meeting type, after a yes. Calendly has no reschedule
// endpoint (developer.calendly.com): the new time is booked first and the old booking cancelled
// only once Calendly confirmed the new one, so a failure never leaves the person with nothing.
#include "calrt/calendly/booking_requirements.hpp"
#include "calrt/calendly/calendly_error.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/core/input_validation.hpp"
#include "local_calendar.hpp"
#include "my_bookings.hpp"
#include "tool_arguments.hpp"

#include <algorithm>

namespace calrt::tools {
namespace asio = boost::asio;

namespace {

// What the old booking was given, to give the new one the same: where it happens (the invitee's
// phone for outbound_call, their answer for ask_invitee) and the answers to the type's questions.
calendly::GivenBookingDetails same_details_as(const MyBooking& booking) {
    calendly::GivenBookingDetails given;
    if (booking.event.location_type) {
        calendly::GivenLocation location{*booking.event.location_type, std::nullopt, std::nullopt};
        if (location.kind == "outbound_call") location.phone_number = booking.event.location;
        if (location.kind == "ask_invitee") location.details = booking.event.location;
        given.location = std::move(location);
    }
    for (const auto& answer : booking.invitee.questions_and_answers) {
        given.answers.push_back({answer.question, answer.answer});
    }
    return given;
}

nlohmann::json use_reschedule_link(const SelfServiceToolContext& context, const MyBooking& booking,
                                   const std::string& why) {
    return nlohmann::json{{"rescheduled", false},
                          {"reschedule_url", booking.invitee.reschedule_url.value_or("")},
                          {"booking", describe_booking(context, booking)},
                          {"message", why + " The person can pick a new time with their own reschedule link."}};
}

}  // namespace

ToolSpec reschedule_booking_spec() {
    ToolSpec spec;
    spec.name = "reschedule_booking";
    spec.description =
        "Move one of the person's own upcoming meetings (an `event` from find_my_bookings) to another open "
        "time of the same meeting type (check_meeting_availability finds them), for an email proven in this "
        "conversation. First call it without `confirmed`: it changes nothing and answers what would change; "
        "read that back (\"Move your 30 Minute Meeting from Tuesday 3 PM to Thursday 10 AM?\") and call it "
        "again with confirmed true only after the person says yes. The new time is booked first; the old "
        "booking is cancelled only once the new one is confirmed.";
    spec.parameters = {
        {"type", "object"},
        {"properties",
         {{"email", person_email_schema()},
          {"event", {{"type", "string"}, {"maxLength", 300}, {"description", "The booking's `event` from find_my_bookings."}}},
          {"new_start_time",
           {{"type", "string"},
            {"format", "date-time"},
            {"description", "The new start, exactly as check_meeting_availability gave it (RFC 3339 with offset)."}}},
          {"confirmed",
           {{"type", "boolean"},
            {"description", "true only after the person said yes to the move as you read it back."}}}}},
        {"required", nlohmann::json::array({"email", "event", "new_start_time"})},
        {"additionalProperties", false}};
    spec.has_effect = true;
    return spec;
}

asio::awaitable<nlohmann::json> reschedule_booking(SelfServiceToolContext& context, const nlohmann::json& arguments) {
    auto email = proven_email(context, arguments);
    if (!email) co_return error_result(email.error());
    auto start_argument = required_string_argument(arguments, "new_start_time");
    if (!start_argument) co_return error_result(start_argument.error());
    auto new_start = validate_time("new_start_time", *start_argument);
    if (!new_start) co_return error_result(new_start.error());
    const bool confirmed = arguments.is_object() && arguments.value("confirmed", false) == true;

    auto chosen = co_await chosen_booking(context, *email, arguments);
    if (!chosen) co_return error_result(chosen.error());
    const MyBooking booking = std::move(*chosen);
    if (auto late = too_late_to_change(context, booking, "move")) co_return *late;
    if (booking.shared()) {
        co_return use_reschedule_link(context, booking,
                                      "Other people are booked into " + spoken_booking(context, booking) +
                                          ", so it cannot be cancelled and booked again for one of them.");
    }
    if (*new_start <= context.clock.now() + context.min_notice) {
        co_return tool_error("invalid_new_start_time", "The new time must be in the future" +
                                                           std::string(context.min_notice.count() > 0
                                                                           ? ", and at least " + std::to_string(context.min_notice.count()) + " hours away"
                                                                           : "") +
                                                           ". Offer an open time from check_meeting_availability.");
    }
    const auto type_uuid = calendly::uuid_from_uri(booking.event.event_type);
    auto type = co_await context.calendly.event_type(type_uuid.value_or(""));
    if (!type) co_return use_reschedule_link(context, booking, "I could not load the meeting type from Calendly.");
    auto details = calendly::resolve_booking_details(*type, same_details_as(booking));
    if (!details) {
        co_return use_reschedule_link(context, booking,
                                      "This meeting type needs details I cannot carry over (" + details.error().message + ").");
    }
    const std::string from = spoken_booking(context, booking);
    const std::string to = spoken_date_time(context.person_zone.to_local(*new_start));

    // The new time must be open now, whatever the model remembers.
    auto slots = co_await context.calendly.available_times(type->uri, {*new_start, *new_start + std::chrono::minutes(1)});
    if (!slots) {
        co_return tool_error(slots.error().code, "I could not check the new time with Calendly (" +
                                                     slots.error().message + "). Nothing was changed.");
    }
    const bool open = std::any_of(slots->begin(), slots->end(),
                                  [&](const calendly::AvailableTime& slot) { return slot.start_time == *new_start; });
    if (!open) {
        co_return tool_error("slot_unavailable", to + " is not open for this meeting type. Nothing was changed; "
                                                      "offer an open time from check_meeting_availability.");
    }
    if (!confirmed) {
        co_return nlohmann::json{
            {"confirmation_needed", true},
            {"booking", describe_booking(context, booking)},
            {"new_start_time", context.person_zone.to_local(*new_start).to_rfc3339()},
            {"message", "Nothing is changed yet. Ask: move " + from + " to " + to +
                            "? Call reschedule_booking again with confirmed true only if the person says yes."}};
    }

    // The service's cap only: the invitee's email and address were counted when they first booked.
    if (context.booking_caps && !co_await context.booking_caps->take_booking("", "")) {
        co_return use_reschedule_link(context, booking, "The host's bookings for today are used up here.");
    }
    calendly::InviteeRequest request{type->uri,
                                     *new_start,
                                     booking.invitee.name,
                                     booking.invitee.email,
                                     booking.invitee.timezone.value_or(context.person_zone.name()),
                                     details->location,
                                     details->answers};
    auto invitee = co_await context.calendly.create_invitee(std::move(request));
    if (!invitee) {
        if (context.booking_caps && calendly::nothing_was_written(invitee.error())) {
            co_await context.booking_caps->give_back_booking("", "");
        }
        co_return tool_error(invitee.error().code, "Calendly did not book " + to + " (" + invitee.error().message +
                                                       "). Nothing was changed: " + from + " is still booked.");
    }
    // Booked: now the old one goes, with a reason that names the new time.
    const auto old_uuid = calendly::uuid_from_uri(booking.event.uri);
    auto cancellation = co_await context.calendly.cancel_event(
        old_uuid.value_or(""), "Rescheduled by the invitee through the booking assistant to " +
                                   context.person_zone.to_local(*new_start).to_rfc3339());
    const bool old_cancelled = static_cast<bool>(cancellation);
    if (context.record) {
        context.record(SelfServiceChange{"reschedule", old_cancelled ? "done" : "old_kept", *email,
                                         context.conversation_id, booking.event.uri, booking.event.start_time,
                                         invitee->event, *new_start, context.clock.now()});
    }
    nlohmann::json result{{"rescheduled", old_cancelled},
                          {"new_booking",
                           {{"event", invitee->event},
                            {"start_time", context.person_zone.to_local(*new_start).to_rfc3339()},
                            {"spoken", to},
                            {"cancel_url", invitee->cancel_url.value_or("")},
                            {"reschedule_url", invitee->reschedule_url.value_or("")}}},
                          {"old_booking", describe_booking(context, booking)}};
    if (old_cancelled) {
        result["old_booking"]["status"] = "canceled";
        result["message"] = "Moved: " + from + " is cancelled and the new meeting is on " + to +
                            ". Calendly emails the person and the host.";
    } else {
        result["message"] = "The new meeting on " + to + " is booked, but Calendly did not cancel " + from + " (" +
                            cancellation.error().message + "), so both are booked now. The person can cancel the "
                            "old one with its cancel link: " + booking.invitee.cancel_url.value_or("(none)");
    }
    co_return result;
}

}  // namespace calrt::tools
