#include "calrt/server/calendly_routes.hpp"

#include "calendly_actions.hpp"
#include "calrt/core/json_nesting.hpp"
#include "calrt/server/admin_auth.hpp"
#include "calrt/server/client_address.hpp"
#include "calrt/server/responses.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {
namespace asio = boost::asio;

std::span<const CalendlyAction> calendly_actions() {
    static const std::vector<CalendlyAction> kActions{
        {"event-types", "GET", ActionAccess::open, {"host", "team"}, event_types_action},
        {"hosts", "GET", ActionAccess::open, {}, hosts_action},
        {"event-info", "GET", ActionAccess::open, {"uuid", "uri"}, event_info_action},
        {"availability", "GET", ActionAccess::open, {"event_type", "start_time", "end_time", "timezone"},
         availability_action},
        {"user", "GET", ActionAccess::admin, {}, user_action},
        {"scheduled-events", "GET", ActionAccess::admin,
         {"status", "min_start_time", "max_start_time", "invitee_email"}, scheduled_events_action},
        {"create-link", "POST", ActionAccess::rate_limited, {"name", "email", "event_type", "purpose"},
         create_link_action},
        {"book", "POST", ActionAccess::rate_limited,
         {"event_type", "start_time", "name", "email", "timezone", "location", "answers"}, book_action},
        {"cancel", "POST", ActionAccess::admin, {"uuid", "reason"}, cancel_action},
    };
    return kActions;
}

namespace {

std::string valid_actions_text() {
    std::string text;
    for (const auto& action : calendly_actions()) {
        if (!text.empty()) text += ", ";
        text += std::string(action.method) + " " + std::string(action.name);
    }
    return text;
}

asio::awaitable<Response> dispatch(std::string_view method, const Request& request, ActionParams params,
                                   CalendlyRouteContext& context) {
    const auto name = params.get("action");
    if (!name || name->empty()) {
        co_return error_response(Error::make(ErrorKind::invalid_argument, "missing_action",
                                             "say which action: valid actions are " + valid_actions_text()));
    }
    const CalendlyAction* found = nullptr;
    const CalendlyAction* other_method = nullptr;
    for (const auto& action : calendly_actions()) {
        if (action.name != *name) continue;
        (action.method == method ? found : other_method) = &action;
    }
    if (!found && other_method) {
        auto response = error_response(Error::make(
            ErrorKind::method_not_allowed, "method_not_allowed",
            "action " + std::string(*name) + " is a " + std::string(other_method->method) + " action"));
        response.set_header("Allow", std::string(other_method->method));
        co_return response;
    }
    if (!found) {
        co_return error_response(Error::make(ErrorKind::invalid_argument, "unknown_action",
                                             "unknown action '" + std::string(*name) +
                                                 "'; valid actions are " + valid_actions_text()));
    }
    if (found->access == ActionAccess::admin) {
        if (auto allowed = check_admin(request, context.admin_token); !allowed) {
            auto response = error_response(allowed.error());
            if (response.status == 401) response.set_header("WWW-Authenticate", "Bearer");
            co_return response;
        }
    }
    RateLimiter* limit = found->access == ActionAccess::rate_limited ? &context.public_post_limit
                         : found->access == ActionAccess::open       ? context.public_read_limit
                                                                     : nullptr;
    std::string client_bucket = address_bucket(request.remote_address);
    if (limit) {
        const auto decision = limit->take(client_bucket);
        if (!decision.allowed) {
            Error error = Error::make(ErrorKind::rate_limited, "rate_limited",
                                      "too many requests from this address; retry in " +
                                          std::to_string(decision.retry_after.count()) + " s");
            error.retry_after = decision.retry_after;
            co_return error_response(error);
        }
    }
    if (auto fields_ok = params.only(found->fields); !fields_ok) co_return error_response(fields_ok.error());
    params.set_caller_is_admin(!request.header("Authorization").empty() &&
                               check_admin(request, context.admin_token).has_value());
    params.set_client_address(std::move(client_bucket));
    co_return co_await found->handler(params, context);
}

}  // namespace

void add_calendly_routes(Router& router, CalendlyRouteContext& context) {
    router.get("/api/calendly", [&context](Request& request) -> asio::awaitable<Response> {
        co_return co_await dispatch("GET", request, ActionParams::from_query(request.query), context);
    });
    router.post("/api/calendly", [&context](Request& request) -> asio::awaitable<Response> {
        if (!json_nesting_within(request.body)) {
            co_return error_response(Error::make(ErrorKind::invalid_argument, "too_deeply_nested",
                                                 "the request body nests deeper than " +
                                                     std::to_string(kMaxJsonNesting) + " levels"));
        }
        auto body = nlohmann::json::parse(request.body, nullptr, false);
        if (body.is_discarded()) {
            co_return error_response(
                Error::make(ErrorKind::invalid_argument, "invalid_json", "the request body is not valid JSON"));
        }
        auto params = ActionParams::from_json_body(body);
        if (!params) co_return error_response(params.error());
        co_return co_await dispatch("POST", request, *params, context);
    });
}

}  // namespace calrt::server
