#pragma once
// POST /api/calendly/webhook: Calendly's signed deliveries, verified over the raw body, stored
// durably, and only then acknowledged. GET /api/calendly/webhook/events (admin): what was stored.

#include "calrt/core/metrics.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/core/time.hpp"
#include "calrt/server/router.hpp"
#include "calrt/store/webhook_store.hpp"

#include <chrono>
#include <functional>
#include <string_view>
#include <cstddef>

namespace calrt::server {

struct WebhookRouteContext {
    store::WebhookStore& store;
    Secret signing_key;   // CALENDLY_WEBHOOK_SECRET; empty: the route answers 503
    Secret admin_token;   // for the events listing
    const Clock& clock;
    MetricsRegistry& metrics;
    std::size_t max_body_bytes = 1024 * 1024;
    // Calendly's signatures older than this are replays (DESIGN.md: 180 s).
    std::chrono::seconds tolerance{180};
    // Called with the event ("event_type.updated", ...) of each new delivery once it is stored:
    // organization mode reads its directory again on event_type.* (OrganizationDirectory). May
    // be empty.
    std::function<void(std::string_view event)> on_stored{};
};

void add_webhook_routes(Router& router, WebhookRouteContext& context);

}  // namespace calrt::server
