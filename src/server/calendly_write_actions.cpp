// The /api/calendly actions that act: create-link, book, cancel.
#include "calendly_action_requests.hpp"
#include "calendly_actions.hpp"
#include "calrt/calendly/booking_requirements.hpp"
#include "calrt/calendly/calendly_error.hpp"
#include "calrt/calendly/personalized_link.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/server/responses.hpp"
#include "calrt/tools/host_booking_hold.hpp"
#include "calrt/tools/booking_caps.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {
namespace asio = boost::asio;

asio::awaitable<Response> create_link_action(const ActionParams& params, CalendlyRouteContext& context) {
    auto request = create_link_request_from(params);
    if (!request) co_return error_response(request.error());
    // Past the service's daily link budget: the type's public page with the same prefill, at no
    // Calendly cost (review item L11).
    Result<void> link_taken{};
    if (context.booking_caps) link_taken = co_await context.booking_caps->take_link();
    if (!link_taken) {
        Result<calendly::EventType> type = Error{};
        if (request->event_type) {
            type = co_await offered_event_type(context, *request->event_type);
        } else {
            type = co_await first_offered_event_type(context);
        }
        if (!type) co_return error_response(type.error());
        auto page =
            calendly::fallback_personalized_link(type->scheduling_url, request->prefill, *type, link_taken.error());
        if (!page) co_return error_response(page.error());
        co_return json_response(200, {{"booking_url", page->booking_url}, {"event_type", type->raw}, {"fallback", true}});
    }
    Result<calendly::PersonalizedLink> link = Error{};
    if (context.directory != nullptr && request->event_type) {
        // Organization mode: any host's type, which the token user's own list does not have.
        auto type = co_await offered_event_type(context, *request->event_type);
        if (!type) {
            if (context.booking_caps) co_await context.booking_caps->give_back_link();
            co_return error_response(type.error());
        }
        link = co_await calendly::create_personalized_link(context.calendly, context.fallback_url, std::move(*type),
                                                           std::move(request->prefill));
    } else {
        link = co_await calendly::create_personalized_link(context.calendly, context.fallback_url, std::move(*request));
    }
    if (context.booking_caps && (!link || link->fallback)) co_await context.booking_caps->give_back_link();
    if (!link) co_return error_response(link.error());
    co_return json_response(200, {{"booking_url", link->booking_url},
                                  {"event_type", link->event_type ? link->event_type->raw : nlohmann::json()},
                                  {"fallback", link->fallback}});
}

asio::awaitable<Response> book_action(const ActionParams& params, CalendlyRouteContext& context) {
    // BOOKING_REQUIRES_VERIFIED_EMAIL: a public caller has no conversation in which to prove the
    // email, so only the host's own tools (the admin token) book here; people book with the assistant.
    if (context.booking_requires_verified_email && !params.caller_is_admin()) {
        co_return error_response(Error::make(
            ErrorKind::permission_denied, "verified_email_required",
            "this host books only for an email proven with a one-time code: book through the assistant "
            "(/api/realtime), or use create-link; the admin token may book directly"));
    }
    auto booking = book_request_from(params, context.clock.now(), context.time_zones);
    if (!booking) co_return error_response(booking.error());
    auto type = co_await offered_event_type(context, booking->event_type_id);
    if (!type) co_return error_response(type.error());
    // The location and answers the type needs, checked before Calendly is asked anything.
    auto details = calendly::resolve_booking_details(*type, booking->details);
    if (!details) {
        Error error = details.error();
        if (error.code == "booking_requires_link") error.message += " (POST create-link makes one)";
        co_return error_response(error);
    }
    // Calendly refused a booking for the host's plan before: it will again (create-link works).
    if (auto refusal = context.calendly.booking_refused_by_plan()) co_return error_response(*refusal);
    // A copy: the request takes the email over below.
    const std::string email = booking->email;
    if (context.booking_caps) {
        auto taken = co_await context.booking_caps->take_booking(params.client_address(), email);
        if (!taken) {
            Error error = taken.error();
            if (error.code == "daily_booking_limit_reached") error.message += "; book on " + type->scheduling_url;
            co_return error_response(error);
        }
    }
    // Organization mode's per-host cap (DAILY_BOOKINGS_PER_HOST).
    auto host_hold = co_await tools::HostBookingHold::take(context.booking_caps, context.directory, *type);
    if (!host_hold) {
        co_await context.booking_caps->give_back_booking(params.client_address(), email);
        co_return error_response(host_hold.error());
    }
    calendly::InviteeRequest request;
    request.event_type_uri = type->uri;
    request.start_time = booking->start_time;
    request.name = std::move(booking->name);
    request.email = std::move(booking->email);
    request.timezone = booking->time_zone.name();
    request.location = std::move(details->location);
    request.answers = std::move(details->answers);

    auto invitee = co_await context.calendly.create_invitee(std::move(request));
    // A refusal books nothing; an answer lost on the way may have booked, and keeps its unit.
    if (!invitee && calendly::nothing_was_written(invitee.error()) && context.booking_caps) {
        co_await host_hold->give_back();
        co_await context.booking_caps->give_back_booking(params.client_address(), email);
    }
    if (!invitee) co_return error_response(invitee.error());
    if (host_hold->needs_assigned_hosts()) {
        // The round robin's host Calendly picked counts toward its cap.
        std::vector<std::string> assigned;
        if (const auto uuid = calendly::uuid_from_uri(invitee->event)) {
            if (auto event = co_await context.calendly.scheduled_event(*uuid)) {
                for (const auto& membership : event->event_memberships) assigned.push_back(membership.user);
            }
        }
        co_await host_hold->booked(assigned);
    }
    log::info("meeting booked", {{"invitee", invitee->uri}, {"event", invitee->event}});
    co_return json_response(200, {{"invitee", invitee->raw}});
}

asio::awaitable<Response> cancel_action(const ActionParams& params, CalendlyRouteContext& context) {
    auto request = cancel_request_from(params);
    if (!request) co_return error_response(request.error());
    const std::string& uuid = request->event_uuid;
    auto cancellation = co_await context.calendly.cancel_event(uuid, std::move(request->reason));
    if (!cancellation) {
        if (cancellation.error().kind == ErrorKind::not_found) {
            co_return error_response(Error::make(ErrorKind::not_found, "scheduled_event_not_found",
                                                 "no scheduled event with the id '" + uuid + "'"));
        }
        co_return error_response(cancellation.error());
    }
    log::info("meeting canceled", {{"event_uuid", uuid}});
    co_return json_response(200, {{"cancellation", cancellation->raw}});
}

}  // namespace calrt::server
