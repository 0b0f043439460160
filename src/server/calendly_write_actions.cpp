// The /api/calendly actions that act: create-link, book, cancel.
#include "calendly_action_requests.hpp"
#include "calendly_actions.hpp"
#include "calrt/calendly/personalized_link.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/server/responses.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {
namespace asio = boost::asio;

asio::awaitable<Response> create_link_action(const ActionParams& params, CalendlyRouteContext& context) {
    auto request = create_link_request_from(params);
    if (!request) co_return error_response(request.error());
    auto link = co_await calendly::create_personalized_link(context.calendly, context.fallback_url, std::move(*request));
    if (!link) co_return error_response(link.error());
    co_return json_response(200, {{"booking_url", link->booking_url},
                                  {"event_type", link->event_type ? link->event_type->raw : nlohmann::json()},
                                  {"fallback", link->fallback}});
}

asio::awaitable<Response> book_action(const ActionParams& params, CalendlyRouteContext& context) {
    auto booking = book_request_from(params, context.clock.now(), context.time_zones);
    if (!booking) co_return error_response(booking.error());
    calendly::InviteeRequest request;
    request.event_type_uri = context.calendly.base_url() + "/event_types/" + booking->event_type_id;
    request.start_time = booking->start_time;
    request.name = std::move(booking->name);
    request.email = std::move(booking->email);
    request.timezone = booking->time_zone.name();

    auto invitee = co_await context.calendly.create_invitee(std::move(request));
    if (!invitee) co_return error_response(invitee.error());
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
