// The /api/calendly actions that act: create-link, book, cancel.
#include "calendly_actions.hpp"
#include "calrt/calendly/personalized_link.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/server/responses.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {
namespace asio = boost::asio;

asio::awaitable<Response> create_link_action(const ActionParams& params, CalendlyRouteContext& context) {
    auto name_text = params.required("name");
    if (!name_text) co_return error_response(name_text.error());
    auto name = validate_name("name", *name_text);
    if (!name) co_return error_response(name.error());
    auto email_text = params.required("email");
    if (!email_text) co_return error_response(email_text.error());
    auto email = validate_email("email", *email_text);
    if (!email) co_return error_response(email.error());
    calendly::PersonalizedLinkRequest request;
    request.prefill = {*name, *email, {}, {}};
    if (const auto purpose = params.get("purpose")) {
        auto text = validate_text("purpose", *purpose, 1000);
        if (!text) co_return error_response(text.error());
        request.prefill.purpose = *text;
    }
    if (const auto event_type = params.get("event_type")) {
        auto id = validate_resource_id("event_type", *event_type, "event_types");
        if (!id) co_return error_response(id.error());
        request.event_type = *id;
    }
    auto link = co_await calendly::create_personalized_link(context.calendly, context.fallback_url, std::move(request));
    if (!link) co_return error_response(link.error());
    co_return json_response(200, {{"booking_url", link->booking_url},
                                  {"event_type", link->event_type ? link->event_type->raw : nlohmann::json()},
                                  {"fallback", link->fallback}});
}

asio::awaitable<Response> book_action(const ActionParams& params, CalendlyRouteContext& context) {
    calendly::InviteeRequest request;
    auto event_type = params.required("event_type");
    if (!event_type) co_return error_response(event_type.error());
    auto id = validate_resource_id("event_type", *event_type, "event_types");
    if (!id) co_return error_response(id.error());
    request.event_type_uri = context.calendly.base_url() + "/event_types/" + *id;
    auto start_text = params.required("start_time");
    if (!start_text) co_return error_response(start_text.error());
    auto start = validate_time("start_time", *start_text);
    if (!start) co_return error_response(start.error());
    if (*start <= context.clock.now()) {
        co_return error_response(Error::make(ErrorKind::invalid_argument, "start_time_in_past",
                                             "start_time must be in the future"));
    }
    request.start_time = *start;
    auto name_text = params.required("name");
    if (!name_text) co_return error_response(name_text.error());
    auto name = validate_name("name", *name_text);
    if (!name) co_return error_response(name.error());
    request.name = *name;
    auto email_text = params.required("email");
    if (!email_text) co_return error_response(email_text.error());
    auto email = validate_email("email", *email_text);
    if (!email) co_return error_response(email.error());
    request.email = *email;
    auto zone_text = params.required("timezone");
    if (!zone_text) co_return error_response(zone_text.error());
    auto zone = validate_time_zone("timezone", *zone_text, context.time_zones);
    if (!zone) co_return error_response(zone.error());
    request.timezone = zone->name();

    auto invitee = co_await context.calendly.create_invitee(std::move(request));
    if (!invitee) co_return error_response(invitee.error());
    log::info("meeting booked", {{"invitee", invitee->uri}, {"event", invitee->event}});
    co_return json_response(200, {{"invitee", invitee->raw}});
}

asio::awaitable<Response> cancel_action(const ActionParams& params, CalendlyRouteContext& context) {
    auto uuid_text = params.required("uuid");
    if (!uuid_text) co_return error_response(uuid_text.error());
    auto uuid = validate_resource_id("uuid", *uuid_text, "scheduled_events");
    if (!uuid) co_return error_response(uuid.error());
    std::string reason;
    if (const auto text = params.get("reason")) {
        auto valid = validate_text("reason", *text, 500);
        if (!valid) co_return error_response(valid.error());
        reason = *valid;
    }
    auto cancellation = co_await context.calendly.cancel_event(*uuid, std::move(reason));
    if (!cancellation) {
        if (cancellation.error().kind == ErrorKind::not_found) {
            co_return error_response(Error::make(ErrorKind::not_found, "scheduled_event_not_found",
                                                 "no scheduled event with the id '" + *uuid + "'"));
        }
        co_return error_response(cancellation.error());
    }
    log::info("meeting canceled", {{"event_uuid", *uuid}});
    co_return json_response(200, {{"cancellation", cancellation->raw}});
}

}  // namespace calrt::server
