#include "calrt/server/webhook_routes.hpp"

#include "calrt/calendly/webhook_signature.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/server/admin_auth.hpp"
#include "calrt/server/request_validation.hpp"
#include "calrt/server/responses.hpp"
#include "list_paging.hpp"
#include "webhook_listing.hpp"

#include <nlohmann/json.hpp>


namespace calrt::server {
namespace asio = boost::asio;

namespace {

void count_delivery(WebhookRouteContext& context, std::string_view event, std::string_view outcome) {
    context.metrics
        .counter("webhook_deliveries_total", "Calendly webhook deliveries by event and outcome",
                 {{"event", std::string(event)}, {"outcome", std::string(outcome)}})
        .inc();
}

Error not_configured() {
    return Error::make(ErrorKind::not_configured, "webhook_not_configured",
                       "webhook deliveries are refused: set CALENDLY_WEBHOOK_SECRET to the subscription's signing "
                       "key and restart");
}

// Before the body is read: a delivery without a well-formed Calendly-Webhook-Signature whose t= is
// within the tolerance would be refused after reading it, so it is refused before, and connections
// that declare large bodies without a plausible signature hold no body memory (review item N1).
Result<void> check_delivery_head(const Request& request, WebhookRouteContext& context) {
    if (context.signing_key.empty()) return not_configured();
    const auto now = std::chrono::floor<std::chrono::seconds>(context.clock.now());
    auto checked = calendly::check_webhook_signature_header(request.header("Calendly-Webhook-Signature"), now,
                                                            context.tolerance);
    if (!checked) {
        count_delivery(context, "unverified", checked.error().code);
        log::warn("webhook delivery refused before its body",
                  {{"request_id", request.request_id}, {"code", checked.error().code}});
    }
    return checked;
}

asio::awaitable<Response> receive_delivery(Request& request, WebhookRouteContext& context) {
    if (context.signing_key.empty()) co_return error_response(not_configured());
    // The signature covers the exact bytes received; nothing is parsed before it is checked.
    const auto now = std::chrono::floor<std::chrono::seconds>(context.clock.now());
    auto verified = calendly::verify_webhook_signature(request.header("Calendly-Webhook-Signature"), request.body,
                                                       context.signing_key, now, context.tolerance);
    if (!verified) {
        count_delivery(context, "unverified", verified.error().code);
        log::warn("webhook delivery refused", {{"request_id", request.request_id}, {"code", verified.error().code}});
        co_return error_response(verified.error());
    }
    auto delivery = store::parse_webhook_envelope(
        request.body, std::chrono::time_point_cast<std::chrono::system_clock::duration>(context.clock.now()));
    if (!delivery) {
        count_delivery(context, "unparsed", delivery.error().code);
        co_return error_response(delivery.error());
    }
    const std::string event = delivery->event;
    const std::string payload_uri = delivery->payload_uri;
    const bool known = delivery->known_event;
    auto stored = co_await context.store.store(std::move(*delivery));
    if (!stored) {
        // Not acknowledged: Calendly retries for 24 h, so nothing is lost.
        count_delivery(context, known ? event : "unknown", "store_failed");
        log::error("webhook delivery not stored", {{"request_id", request.request_id},
                                                   {"event", event},
                                                   {"code", stored.error().code}});
        co_return error_response(stored.error());
    }
    count_delivery(context, known ? event : "unknown", stored->duplicate ? "duplicate" : "stored");
    if (!stored->duplicate && context.on_stored) context.on_stored(event);
    log::info(known ? "webhook delivery" : "webhook delivery of an unknown event",
              {{"request_id", request.request_id},
               {"event", event},
               {"payload_uri", payload_uri},
               {"id", stored->id},
               {"duplicate", stored->duplicate}});
    co_return json_response(200, {{"received", true}, {"duplicate", stored->duplicate}});
}

asio::awaitable<Response> list_deliveries(Request& request, WebhookRouteContext& context) {
    if (auto allowed = check_admin(request, context.admin_token); !allowed) {
        co_return error_response(allowed.error());
    }
    const auto params = ActionParams::from_query(request.query);
    static constexpr std::string_view kFields[] = {"event", "since", "limit", "cursor"};
    if (auto ok = params.only(kFields); !ok) co_return error_response(ok.error());
    auto paging = list_paging(params);
    if (!paging) co_return error_response(paging.error());
    store::ListQuery query;
    if (const auto event = params.get("event")) query.event = std::string(*event);
    query.since = paging->since;
    query.limit = paging->limit;
    query.cursor = std::move(paging->cursor);
    auto page = co_await context.store.list(std::move(query));
    if (!page) co_return error_response(page.error());
    nlohmann::json events = nlohmann::json::array();
    for (const auto& item : page->items) events.push_back(listed_delivery(item));
    co_return json_response(200, {{"events", std::move(events)},
                                  {"next_cursor", page->next_cursor ? nlohmann::json(*page->next_cursor) : nlohmann::json()}});
}

}  // namespace

void add_webhook_routes(Router& router, WebhookRouteContext& context) {
    RouteOptions delivery_options;
    delivery_options.body_limit = context.max_body_bytes;
    delivery_options.check_head = [&context](const Request& request) { return check_delivery_head(request, context); };
    router.post(
        "/api/calendly/webhook",
        [&context](Request& request) -> asio::awaitable<Response> { co_return co_await receive_delivery(request, context); },
        delivery_options);
    router.get("/api/calendly/webhook/events", [&context](Request& request) -> asio::awaitable<Response> {
        co_return co_await list_deliveries(request, context);
    });
}

}  // namespace calrt::server
