#pragma once
// POST /api/openai/webhook: OpenAI's project webhook (issue 24). Each delivery is verified over
// the raw body (Standard Webhooks, webhook_signature.hpp: 401 when forged or stale),
// claimed once by its webhook-id (a retry is answered 200 and does nothing), and answered at once;
// a realtime.call.incoming call is then admitted or rejected in the background through PhoneCalls,
// so the answer never waits for OpenAI:
//   603 Decline     a blocked number (PHONE_BLOCKED_NUMBERS), outside PHONE_HOURS, or past the
//                   caller's or the day's limits (caller_limits.hpp)
//   486 Busy Here   every phone line is taken (PHONE_MAX_CALLS)
// An admitted call is accepted with its PhoneCall's session and then runs (phone_call.hpp). Other
// event types are acknowledged and ignored (issue 24): OpenAI retries any answer but 200.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>

#include "calrt/core/metrics.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/core/time.hpp"
#include "calrt/phone/call_admission.hpp"
#include "calrt/phone/phone_call.hpp"
#include "calrt/phone/phone_calls.hpp"
#include "calrt/phone/phone_lines.hpp"
#include "calrt/phone/webhook_claims.hpp"
#include "calrt/phone/webhook_signature.hpp"
#include "calrt/server/router.hpp"

namespace calrt::phone {

struct OpenAiWebhookRouteContext {
    Secret webhook_secret;  // OPENAI_WEBHOOK_SECRET; empty: the route answers 503
    PhoneCalls& calls;
    WebhookClaims& claims;
    PhoneLines& lines;
    // The body of every accept when `call_context` is null: a Realtime session configuration
    // ({"type": "realtime", "model", "instructions", "audio", "tools", …}); nothing runs after it.
    nlohmann::json accept_session;
    const Clock& clock;
    MetricsRegistry& metrics;
    // Where the accepts and rejects run after the answer. Must outlive them, as must this context.
    boost::asio::any_io_executor executor;
    // realtime.call.incoming bodies are a few KiB (a call id and the INVITE's headers).
    std::size_t max_body_bytes = 64 * 1024;
    std::chrono::seconds tolerance = openai_webhook_tolerance;
    // Each accepted call runs as a PhoneCall (its own tools, instructions and sideband). Null: the
    // accept carries `accept_session` and nothing runs after it.
    PhoneCallContext* call_context = nullptr;
    PhoneHours hours{};  // PHONE_HOURS; empty: always
    TimeZone hours_zone = TimeZone::utc();  // PHONE_TIME_ZONE
    BlockedNumbers blocked{};  // PHONE_BLOCKED_NUMBERS
    // Counts the call against its number's and the day's limits: "" when admitted, else the
    // refusal's reason (caller_limits.hpp). Empty: no such limits.
    std::function<boost::asio::awaitable<Result<std::string>>(std::string caller_number)> admit_caller{};
};

void add_openai_webhook_route(server::Router& router, OpenAiWebhookRouteContext& context);

}  // namespace calrt::phone
