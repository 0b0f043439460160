// The /api/calendly actions that read: event-types, event-info, availability, user, scheduled-events.
#include "calendly_action_requests.hpp"
#include "calendly_actions.hpp"
#include "calrt/calendly/offered_event_types.hpp"
#include "calrt/calendly/organization_directory.hpp"
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
        nlohmann::json body{{"event_types", raw_list(calendly::offered_event_types(*types))}};
        body_ = std::make_shared<const std::string>(
            body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        source_ = types;
    }
    return body_;
}

asio::awaitable<Result<calendly::EventType>> offered_event_type(CalendlyRouteContext& context,
                                                                const std::string& uuid) {
    const char* const hint = "; list them with ?action=event-types";
    if (context.directory != nullptr) {
        auto directory = co_await context.directory->current();
        if (!directory) co_return directory.error();
        if (const auto* type = calendly::find_offered_event_type((*directory)->event_types, uuid)) co_return *type;
        co_return Error::make(ErrorKind::not_found, "event_type_not_found",
                              "the organization offers no event type with the id '" + uuid + "'" + hint);
    }
    auto types = co_await context.calendly.shared_event_types();
    if (!types) co_return types.error();
    if (const auto* type = calendly::find_offered_event_type(**types, uuid)) co_return *type;
    co_return Error::make(ErrorKind::not_found, "event_type_not_found",
                          "the host offers no event type with the id '" + uuid + "'" + hint);
}

asio::awaitable<Result<calendly::EventType>> first_offered_event_type(CalendlyRouteContext& context) {
    auto types = co_await context.calendly.shared_event_types();
    if (!types) co_return types.error();
    for (const auto& type : **types) {
        if (calendly::is_offered(type)) co_return type;
    }
    co_return Error::make(ErrorKind::not_found, "no_event_types", "the host offers no event types");
}

asio::awaitable<Response> event_types_action(const ActionParams& params, CalendlyRouteContext& context) {
    const auto host = params.get("host");
    const auto team = params.get("team");
    if (host || team) {
        if (auto ready = ready_scoped_event_types_body(context, host, team)) co_return json_shared_response(200, std::move(ready));
        auto scoped = co_await scoped_event_types_body(context, host, team);
        if (!scoped) co_return error_response(scoped.error());
        co_return json_shared_response(200, std::move(*scoped));
    }
    // The usual case, a fresh cache, without waiting on the client's layers.
    auto types = context.calendly.fresh_event_types();
    if (!types) {
        auto loaded = co_await context.calendly.shared_event_types();
        if (!loaded) co_return error_response(loaded.error());
        types = std::move(*loaded);
    }
    // The secret ones too, for the host's admin only.
    if (params.caller_is_admin()) co_return json_response(200, {{"event_types", raw_list(*types)}});
    co_return json_shared_response(200, context.rendered_event_types.body_for(types));
}

asio::awaitable<Response> event_info_action(const ActionParams& params, CalendlyRouteContext& context) {
    auto request = event_info_request_from(params);
    if (!request) co_return error_response(request.error());
    // From the cached list: no Calendly call per request, and only what the host offers.
    auto type = co_await offered_event_type(context, request->event_type_id);
    if (!type) co_return error_response(type.error());
    co_return json_response(200, {{"event_type", type->raw}});
}

asio::awaitable<Response> availability_action(const ActionParams& params, CalendlyRouteContext& context) {
    auto request = availability_request_from(params, context.time_zones);
    if (!request) co_return error_response(request.error());
    const std::string& id = request->event_type_id;
    const std::optional<TimeZone>& zone = request->time_zone;

    auto type = co_await offered_event_type(context, id);
    if (!type) co_return error_response(type.error());
    auto times = co_await context.calendly.available_times(type->uri, request->range);
    if (!times) {
        co_return error_response(
            not_found_as(times.error(), "event_type_not_found", "no event type with the id '" + id + "'"));
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
    auto query = scheduled_events_query_from(params);
    if (!query) co_return error_response(query.error());
    auto events = co_await context.calendly.scheduled_events(std::move(*query));
    if (!events) co_return error_response(events.error());
    co_return json_response(200, {{"scheduled_events", raw_list(events->items)}, {"truncated", events->truncated()}});
}

}  // namespace calrt::server
