#include "calrt/phone/webhook_route.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "calrt/core/logging.hpp"
#include "calrt/server/responses.hpp"

namespace calrt::phone {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr std::string_view incoming_call_type = "realtime.call.incoming";

void count_delivery(OpenAiWebhookRouteContext& context, std::string_view type,
                    std::string_view outcome) {
    context.metrics
        .counter("calrt_openai_webhook_deliveries_total",
                 "OpenAI webhook deliveries by event type and outcome",
                 {{"type", std::string(type)}, {"outcome", std::string(outcome)}})
        .inc();
}

void count_call(OpenAiWebhookRouteContext& context, std::string_view outcome,
                std::string_view reason = "") {
    context.metrics
        .counter("calrt_phone_calls_total",
                 "Phone calls by outcome (offered, accepted, rejected, accept_failed)",
                 {{"outcome", std::string(outcome)}, {"reason", std::string(reason)}})
        .inc();
}

Error not_configured() {
    return Error::make(
        ErrorKind::not_configured, "phone_not_configured",
        "OpenAI webhook deliveries are refused: set OPENAI_WEBHOOK_SECRET to the project "
        "webhook's signing secret and restart");
}

std::string caller_for_logs(const IncomingCall& call) {
    return call.caller_number.empty() ? std::string("unknown") : mask_phone_number(call.caller_number);
}

server::Response received(std::string_view outcome) {
    return server::json_response(200, {{"received", true}, {"outcome", std::string(outcome)}});
}

asio::awaitable<void> reject(OpenAiWebhookRouteContext& context, const IncomingCall& call, unsigned status,
                             std::string_view reason, const std::string& request_id) {
    auto rejected = co_await context.calls.reject(call.call_id, status);
    count_call(context, "rejected", reason);
    log::warn("phone call rejected", {{"request_id", request_id},
                                      {"call_id", call.call_id},
                                      {"caller", caller_for_logs(call)},
                                      {"reason", std::string(reason)},
                                      {"sip_status", std::to_string(status)},
                                      {"reject", rejected ? "sent" : rejected.error().code}});
}

// Why the call may not be taken ("" when it may): who calls, when, and their limits. The cheap
// checks first, so a blocked number is not counted against anything.
asio::awaitable<std::string> refusal(OpenAiWebhookRouteContext& context, const IncomingCall& call) {
    if (context.blocked.blocks(call.caller_number)) co_return "blocked_number";
    if (!context.hours.open_at(context.clock.now(), context.hours_zone)) co_return "outside_hours";
    if (!context.admit_caller) co_return "";
    auto admitted = co_await context.admit_caller(call.caller_number);
    if (!admitted) {
        // The limits cannot be counted (the store is down): the call is taken rather than lost,
        // and the line limit still bounds what it costs.
        log::warn("phone call limits not counted", {{"call_id", call.call_id}, {"code", admitted.error().code}});
        co_return "";
    }
    co_return *admitted;
}

// Admits, accepts or rejects one call after the webhook was answered, then runs it. A named
// coroutine, not a lambda (GCC 12 and lambda coroutines' captures).
asio::awaitable<void> answer_call(OpenAiWebhookRouteContext& context, IncomingCall call,
                                  std::string request_id) {
    // A line first: a call turned away as busy is not counted against its caller's limits.
    if (!context.lines.take(call.call_id)) {
        co_await reject(context, call, sip_busy_here, "capacity", request_id);
        co_return;
    }
    const std::string refused = co_await refusal(context, call);
    if (!refused.empty()) {
        context.lines.release(call.call_id);
        co_await reject(context, call, sip_decline, refused, request_id);
        co_return;
    }
    std::shared_ptr<PhoneCall> phone_call;
    json session = context.accept_session;
    if (context.call_context != nullptr) {
        phone_call = std::make_shared<PhoneCall>(*context.call_context, context.executor, call, request_id);
        session = phone_call->accept_session();
    }
    auto accepted = co_await context.calls.accept(call.call_id, std::move(session));
    if (!accepted) {
        context.lines.release(call.call_id);
        count_call(context, "accept_failed", accepted.error().code);
        log::error("phone call not accepted", {{"request_id", request_id},
                                               {"call_id", call.call_id},
                                               {"caller", caller_for_logs(call)},
                                               {"code", accepted.error().code},
                                               {"message", accepted.error().message}});
        co_return;
    }
    count_call(context, "accepted");
    log::info("phone call accepted",
              {{"request_id", request_id}, {"call_id", call.call_id}, {"caller", caller_for_logs(call)}});
    if (phone_call) {
        context.call_context->active.add(phone_call);
        co_await PhoneCall::run(phone_call);
    }
}

asio::awaitable<server::Response> receive_openai_webhook(server::Request& request,
                                                         OpenAiWebhookRouteContext& context) {
    if (context.webhook_secret.empty()) co_return server::error_response(not_configured());
    // The signature covers the exact bytes received; nothing is parsed before it is checked.
    const auto now = std::chrono::floor<std::chrono::seconds>(context.clock.now());
    const StandardWebhookHeaders headers{request.header("webhook-id"),
                                         request.header("webhook-timestamp"),
                                         request.header("webhook-signature")};
    auto verified = verify_openai_webhook(headers, request.body, context.webhook_secret, now,
                                          context.tolerance);
    if (!verified) {
        count_delivery(context, "unverified", verified.error().code);
        log::warn("OpenAI webhook delivery refused",
                  {{"request_id", request.request_id}, {"code", verified.error().code}});
        co_return server::error_response(verified.error());
    }
    const json event = json::parse(request.body, nullptr, false);
    if (!event.is_object() || !event.contains("type") || !event["type"].is_string()) {
        count_delivery(context, "unparsed", "malformed_event");
        co_return server::error_response(
            Error::make(ErrorKind::invalid_argument, "malformed_event",
                        "the webhook body is not an OpenAI event object"));
    }
    const std::string type = event["type"].get<std::string>();
    const std::string webhook_id(headers.id);

    if (type != incoming_call_type) {
        // Other events are only acknowledged; a retry is still recognised by its webhook-id.
        auto first = co_await context.claims.claim("webhook:" + webhook_id);
        if (!first) {
            // Not acknowledged: OpenAI delivers it again later.
            count_delivery(context, "other", "claim_failed");
            co_return server::error_response(first.error());
        }
        count_delivery(context, "other", *first ? "ignored" : "duplicate");
        log::info("OpenAI webhook event ignored", {{"request_id", request.request_id}, {"type", type}});
        co_return received(*first ? "ignored" : "duplicate");
    }

    auto call = parse_incoming_call(event);
    if (!call) {
        count_delivery(context, type, call.error().code);
        co_return server::error_response(call.error());
    }
    // The call id is what is claimed, once: a retried delivery names the same call, and one call may
    // arrive under two webhook-ids (realtime.call.incoming and live.call.incoming name the same
    // pending session). One claim, not two: a claim committed before a second one failed would make
    // OpenAI's retry look handled, and the call would never be answered.
    auto first_for_call = co_await context.claims.claim("call:" + call->call_id);
    if (!first_for_call) {
        count_delivery(context, type, "claim_failed");
        co_return server::error_response(first_for_call.error());
    }
    if (!*first_for_call) {
        count_delivery(context, type, "duplicate");
        log::info("OpenAI webhook delivery already handled", {{"request_id", request.request_id},
                                                              {"webhook_id", webhook_id},
                                                              {"call_id", call->call_id}});
        co_return received("duplicate");
    }
    count_delivery(context, type, "received");
    count_call(context, "offered");
    asio::co_spawn(context.executor, answer_call(context, std::move(*call), request.request_id), asio::detached);
    co_return received("answering");
}

}  // namespace

void add_openai_webhook_route(server::Router& router, OpenAiWebhookRouteContext& context) {
    server::RouteOptions options;
    options.body_limit = context.max_body_bytes;
    router.post(
        "/api/openai/webhook",
        [&context](server::Request& request) { return receive_openai_webhook(request, context); },
        options);
}

}  // namespace calrt::phone
