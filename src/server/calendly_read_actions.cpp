// The /api/calendly actions that read: event-types, event-info, availability, user, scheduled-events.
#include "calendly_actions.hpp"
#include "calrt/server/responses.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {
namespace asio = boost::asio;

namespace {

template <class Model>
nlohmann::json raw_list(const std::vector<Model>& items) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& item : items) list.push_back(item.raw);
    return list;
}

// Calendly's 404 for a resource the caller named is the caller's 404, in our words.
Error not_found_as(const Error& error, std::string code, std::string what) {
    if (error.kind != ErrorKind::not_found) return error;
    return Error::make(ErrorKind::not_found, std::move(code), std::move(what));
}

}  // namespace

std::shared_ptr<const std::string> RenderedEventTypes::body_for(
    const std::shared_ptr<const std::vector<calendly::EventType>>& types) {
    std::lock_guard lock(mutex_);
    if (types != source_) {
        nlohmann::json body{{"event_types", raw_list(*types)}};
        body_ = std::make_shared<const std::string>(
            body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        source_ = types;
    }
    return body_;
}

asio::awaitable<Response> event_types_action(const ActionParams&, CalendlyRouteContext& context) {
    auto types = co_await context.calendly.shared_event_types();
    if (!types) co_return error_response(types.error());
    co_return json_text_response(200, *context.rendered_event_types.body_for(*types));
}

asio::awaitable<Response> event_info_action(const ActionParams& params, CalendlyRouteContext& context) {
    const auto uuid = params.get("uuid");
    const auto uri = params.get("uri");
    if (!uuid == !uri) {
        co_return error_response(Error::make(ErrorKind::invalid_argument, "missing_field",
                                             "give exactly one of uuid or uri"));
    }
    auto id = uuid ? validate_resource_id("uuid", *uuid, "event_types") : validate_resource_id("uri", *uri, "event_types");
    if (!id) co_return error_response(id.error());
    auto type = co_await context.calendly.event_type(*id);
    if (!type) {
        co_return error_response(
            not_found_as(type.error(), "event_type_not_found", "no event type with the id '" + *id + "'"));
    }
    co_return json_response(200, {{"event_type", type->raw}});
}

asio::awaitable<Response> availability_action(const ActionParams& params, CalendlyRouteContext& context) {
    auto event_type = params.required("event_type");
    if (!event_type) co_return error_response(event_type.error());
    auto id = validate_resource_id("event_type", *event_type, "event_types");
    if (!id) co_return error_response(id.error());
    auto start_text = params.required("start_time");
    if (!start_text) co_return error_response(start_text.error());
    auto start = validate_time("start_time", *start_text);
    if (!start) co_return error_response(start.error());
    auto end_text = params.required("end_time");
    if (!end_text) co_return error_response(end_text.error());
    auto end = validate_time("end_time", *end_text);
    if (!end) co_return error_response(end.error());
    if (*end <= *start) {
        co_return error_response(Error::make(ErrorKind::invalid_argument, "invalid_time_range",
                                             "end_time must be after start_time"));
    }
    std::optional<TimeZone> zone;
    if (const auto zone_name = params.get("timezone")) {
        auto loaded = validate_time_zone("timezone", *zone_name, context.time_zones);
        if (!loaded) co_return error_response(loaded.error());
        zone = *loaded;
    }

    const std::string event_type_uri = context.calendly.base_url() + "/event_types/" + *id;
    auto times = co_await context.calendly.available_times(event_type_uri, {*start, *end});
    if (!times) {
        co_return error_response(
            not_found_as(times.error(), "event_type_not_found", "no event type with the id '" + *id + "'"));
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& slot : *times) {
        nlohmann::json item = slot.raw;
        if (zone) item["local_start_time"] = zone->to_local(slot.start_time).to_rfc3339();
        list.push_back(std::move(item));
    }
    nlohmann::json body{{"available_times", std::move(list)}};
    if (zone) body["timezone"] = zone->name();
    co_return json_response(200, body);
}

asio::awaitable<Response> user_action(const ActionParams&, CalendlyRouteContext& context) {
    auto user = co_await context.calendly.current_user();
    if (!user) co_return error_response(user.error());
    co_return json_response(200, {{"user", user->raw}});
}

asio::awaitable<Response> scheduled_events_action(const ActionParams& params, CalendlyRouteContext& context) {
    calendly::ScheduledEventQuery query;
    if (const auto status = params.get("status")) {
        if (*status != "active" && *status != "canceled") {
            co_return error_response(Error::make(ErrorKind::invalid_argument, "invalid_status",
                                                 "status must be active or canceled"));
        }
        query.status = std::string(*status);
    }
    for (const auto& [field, slot] : {std::pair{"min_start_time", &query.min_start_time},
                                      std::pair{"max_start_time", &query.max_start_time}}) {
        if (const auto text = params.get(field)) {
            auto time = validate_time(field, *text);
            if (!time) co_return error_response(time.error());
            *slot = *time;
        }
    }
    if (query.min_start_time && query.max_start_time && *query.max_start_time <= *query.min_start_time) {
        co_return error_response(Error::make(ErrorKind::invalid_argument, "invalid_time_range",
                                             "max_start_time must be after min_start_time"));
    }
    if (const auto email = params.get("invitee_email")) {
        auto valid = validate_email("invitee_email", *email);
        if (!valid) co_return error_response(valid.error());
        query.invitee_email = *valid;
    }
    auto events = co_await context.calendly.scheduled_events(std::move(query));
    if (!events) co_return error_response(events.error());
    co_return json_response(200, {{"scheduled_events", raw_list(events->items)}, {"truncated", events->truncated()}});
}

}  // namespace calrt::server
