#pragma once
// GET /api/realtime: the browser's WebSocket to the assistant (issue 5). Per connection the server
// opens its own upstream Realtime session (with its own OpenAI key, which never goes down), runs the
// assistant's tools itself, forwards every upstream event down unchanged and forwards browser events
// upstream only as relay_policy.hpp allows.
//
// Admission, before the upgrade, each refusal an HTTP status with a JSON error body:
//   403 origin_not_allowed   the Origin is not allowed (RealtimeRelayConfig::allowed_origins)
//   429 daily_minutes_used_up      the client address used daily_minutes_per_address today
//                                  (Retry-After: until the next UTC midnight)
//   429 too_many_sessions          the client address has max_sessions_per_address open
//   429 too_many_network_sessions  its IPv6 /48 (or IPv4 /24) has max_sessions_per_ipv6_48
//                                  (max_sessions_per_ipv4_24) open
//   429 rate_limited               the client address opened too many connections this minute
//   503 relay_busy                 max_sessions are open
// After the upgrade, each end is a close frame with a reason: the session time limit (1000),
// shutdown (1001), a per-session rate or budget or the address's daily minutes (1008,
// relay_budget.hpp, daily_relay_minutes.hpp), an oversized message (1009), the upstream session
// failing or ending (1011).
//
// Live confirmation: when an invitee.created webhook arrives (DeliveryFeed) for a booking this
// session set in motion (the email and meeting type it gave schedule_call, or the email, type and
// slot it gave book_meeting), a system item stating the booking and a response.create go
// upstream once the conversation is idle, so the person hears they are booked.

#include <functional>
#include <string>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/core/config.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/time.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/realtime/realtime_session.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/self_service_context.hpp"
#include "calrt/store/delivery_feed.hpp"

namespace calrt::tools {
class BookingCaps;
}
namespace calrt::store {
class WebhookStore;
}

namespace calrt::calendly {
class OrganizationDirectory;  // organization_directory.hpp
}

namespace calrt::server {

// Everything is borrowed and must outlive the HttpServer.
struct RelayContext {
    const RealtimeRelayConfig& limits;
    // url, model, api_key, modality, voice, tool timeout, WebSocket options of the upstream
    // session; the instructions are written per session (assistant_instructions.hpp).
    realtime::RealtimeSessionOptions upstream;
    calendly::CalendlyClient& calendly;
    std::string fallback_url;
    TimeZoneCache& time_zones;
    const Clock& clock;
    MetricsRegistry& metrics;
    store::DeliveryFeed* bookings = nullptr;  // null: no live confirmation
    // Browser-side WebSocket settings (max_message_bytes comes from `limits`).
    net::WebSocketOptions browser_websocket{};
    // The service's daily caps of bookings and links, per service, address and email, shared with
    // the REST API (null: none).
    tools::BookingCaps* booking_caps = nullptr;
    // Invitee self-service: the verification and booking-management tools (null: SELF_SERVICE off).
    SelfServiceContext* self_service = nullptr;
    // Where the open sessions per address and per network are counted across replicas (the
    // webhook store; shared_session_places.hpp). Null: this process counts them alone.
    store::WebhookStore* session_places = nullptr;
    // Organization mode: the organization's directory; each conversation offers the scope its page
    // asked for (relay_scope.hpp). Null: the token's user is the one host.
    std::shared_ptr<calendly::OrganizationDirectory> directory{};
};

// Registers the upgrade handler on /api/realtime. Metrics: calrt_realtime_sessions_active,
// calrt_realtime_sessions_total, calrt_realtime_refusals_total{reason},
// calrt_realtime_limit_closes_total{limit} (the budget rows of relay_budget.hpp and
// "daily_minutes"), calrt_realtime_confirmations_total.
void add_realtime_relay(HttpServer& server, RelayContext& context);

// Whether `origin` may open the relay: one of `allowed` (comma-separated), or, when `allowed` is
// empty, the page's own host (`host_header`) when that is an IP address or localhost:
// http(s)://{Host}, http://localhost:{port}, http://127.0.0.1:{port}. A page served under a domain
// name needs `allowed` (DNS rebinding could otherwise pass any page off as the service's own). A
// missing Origin (not a browser) is allowed only when `allowed` is empty.
bool origin_allowed(std::string_view origin, std::string_view host_header,
                    std::string_view allowed);

}  // namespace calrt::server
