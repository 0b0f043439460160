#include "calrt/server/self_service_audit_routes.hpp"

#include <nlohmann/json.hpp>

#include "calrt/core/input_validation.hpp"
#include "calrt/core/time.hpp"
#include "calrt/server/admin_auth.hpp"
#include "calrt/server/request_validation.hpp"
#include "calrt/server/responses.hpp"
#include "list_paging.hpp"

namespace calrt::server {
namespace asio = boost::asio;

namespace {

nlohmann::json listed_change(const store::StoredSelfServiceChange& stored) {
    const auto& change = stored.change;
    nlohmann::json item{{"id", stored.id},
                        {"recorded_at", format_rfc3339(change.recorded_at)},
                        {"action", change.action},
                        {"outcome", change.outcome},
                        {"email", change.email},
                        {"conversation_id", change.conversation_id},
                        {"event_uri", change.event_uri},
                        {"old_start", format_rfc3339(change.old_start)}};
    if (change.new_event_uri) item["new_event_uri"] = *change.new_event_uri;
    if (change.new_start) item["new_start"] = format_rfc3339(*change.new_start);
    return item;
}

// The query as the listing takes it, or the 400 that says what was wrong.
Result<store::ChangeQuery> change_query(const Request& request) {
    const auto params = ActionParams::from_query(request.query);
    static constexpr std::string_view kFields[] = {"email", "since", "limit", "cursor"};
    if (auto ok = params.only(kFields); !ok) return ok.error();
    store::ChangeQuery query;
    if (const auto email = params.get("email")) {
        auto valid = validate_email("email", *email);
        if (!valid) return valid.error();
        query.email = std::move(*valid);
    }
    auto paging = list_paging(params);
    if (!paging) return paging.error();
    query.since = paging->since;
    query.limit = paging->limit;
    query.cursor = std::move(paging->cursor);
    return query;
}

asio::awaitable<Response> list_changes(Request& request, SelfServiceAuditRouteContext& context) {
    if (auto allowed = check_admin(request, context.admin_token); !allowed) {
        co_return error_response(allowed.error());
    }
    auto query = change_query(request);
    if (!query) co_return error_response(query.error());
    auto page = co_await context.store.list_changes(std::move(*query));
    if (!page) co_return error_response(page.error());
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& item : page->items) changes.push_back(listed_change(item));
    // next_cursor is null on the last page, as in the webhook events listing.
    co_return json_response(
        200, {{"changes", std::move(changes)},
              {"next_cursor",
               page->next_cursor ? nlohmann::json(*page->next_cursor) : nlohmann::json()}});
}

}  // namespace

void add_self_service_audit_routes(Router& router, SelfServiceAuditRouteContext& context) {
    router.get("/api/calendly/self-service/changes",
               [&context](Request& request) -> asio::awaitable<Response> {
                   co_return co_await list_changes(request, context);
               });
}

}  // namespace calrt::server
