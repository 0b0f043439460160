#pragma once
// The /api/calendly actions, one function each, and the table that names them.

#include "calrt/server/calendly_routes.hpp"
#include "calrt/server/request_validation.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace calrt::server {

enum class ActionAccess {
    open,          // anyone, within the per-address bucket for reads (public_read_limit)
    rate_limited,  // anyone, within the per-address bucket for create-link and book
    admin,         // Authorization: Bearer $API_ADMIN_TOKEN
};

using ActionHandler =
    std::function<boost::asio::awaitable<Response>(const ActionParams&, CalendlyRouteContext&)>;

struct CalendlyAction {
    std::string_view name;
    std::string_view method;  // "GET" or "POST"
    ActionAccess access;
    std::vector<std::string_view> fields;  // accepted besides "action"
    ActionHandler handler;
};

std::span<const CalendlyAction> calendly_actions();

// The event type the host offers (active, not secret) with this UUID: what every public action
// that names an event type resolves it to (review item M6). 404 event_type_not_found otherwise, so
// a secret type, or one of another user of the account, is never quoted or booked.
boost::asio::awaitable<Result<calendly::EventType>> offered_event_type(CalendlyRouteContext& context,
                                                                       const std::string& uuid);
// The first of the host's offered event types (create-link's default), or 404 no_event_types.
boost::asio::awaitable<Result<calendly::EventType>> first_offered_event_type(CalendlyRouteContext& context);

// The actions that read (calendly_read_actions.cpp) and those that act (calendly_write_actions.cpp).
boost::asio::awaitable<Response> event_types_action(const ActionParams&, CalendlyRouteContext&);
boost::asio::awaitable<Response> event_info_action(const ActionParams&, CalendlyRouteContext&);
boost::asio::awaitable<Response> availability_action(const ActionParams&, CalendlyRouteContext&);
boost::asio::awaitable<Response> user_action(const ActionParams&, CalendlyRouteContext&);
boost::asio::awaitable<Response> scheduled_events_action(const ActionParams&, CalendlyRouteContext&);
boost::asio::awaitable<Response> create_link_action(const ActionParams&, CalendlyRouteContext&);
boost::asio::awaitable<Response> book_action(const ActionParams&, CalendlyRouteContext&);
boost::asio::awaitable<Response> cancel_action(const ActionParams&, CalendlyRouteContext&);
boost::asio::awaitable<Response> hosts_action(const ActionParams&, CalendlyRouteContext&);
// The offered types of one host (by slug) or one team (team_slug of its name), from the
// organization's directory, as the event-types action answers them ({"event_types": [...]}),
// rendered once per directory snapshot and scope (RenderedDirectory). Outside organization mode
// the one host answers to its own slug and there are no teams. 404 host_not_found /
// team_not_found otherwise.
boost::asio::awaitable<Result<std::shared_ptr<const std::string>>> scoped_event_types_body(
    CalendlyRouteContext& context, const std::optional<std::string_view>& host,
    const std::optional<std::string_view>& team);
// That body when it is rendered already for the loaded directory, without waiting (the usual
// case, which then costs no coroutine); nullptr otherwise.
std::shared_ptr<const std::string> ready_scoped_event_types_body(CalendlyRouteContext& context,
                                                                 const std::optional<std::string_view>& host,
                                                                 const std::optional<std::string_view>& team);

}  // namespace calrt::server
