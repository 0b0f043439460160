#pragma once
// Phone calls through OpenAI SIP as configured (OPENAI_WEBHOOK_SECRET, PHONE_*): call control
// against OpenAI's REST API (or the sandbox's fake), the webhook route, the lines, the claims and
// the caller's and the day's limits (in the store, so shared by every replica on one database),
// and what every call shares with the browser relay's conversations. Without OPENAI_WEBHOOK_SECRET the
// route is still there and answers 503, saying what to set.

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "calrt/core/config.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/net/http_client.hpp"
#include "calrt/phone/caller_limits.hpp"
#include "calrt/phone/phone_call.hpp"
#include "calrt/phone/phone_calls.hpp"
#include "calrt/phone/phone_lines.hpp"
#include "calrt/phone/webhook_claims.hpp"
#include "calrt/phone/webhook_route.hpp"
#include "calrt/server/realtime_relay.hpp"
#include "calrt/server/router.hpp"
#include "calrt/store/webhook_store.hpp"

namespace calrt::app {

struct PhoneSetup {
    PhoneSetup(boost::asio::io_context& io, const Config& config, server::RelayContext& assistant,
               std::string api_base_url, Secret api_key, store::WebhookStore& store, TimeZoneCache& time_zones);

    net::HttpClient http;
    std::unique_ptr<phone::PhoneCalls> calls;
    std::unique_ptr<phone::WebhookClaims> claims;
    phone::CallerLimits limits;
    phone::PhoneLines lines;
    phone::PhoneCallContext call_context;
    phone::OpenAiWebhookRouteContext route;
};

// Adds POST /api/openai/webhook to `router`. `api_base_url` and `api_key`: where call control goes
// (OPENAI_API_BASE_URL and OPENAI_API_KEY, or the sandbox's fake). Throws std::runtime_error
// naming the setting when PHONE_HOURS, PHONE_TIME_ZONE or PHONE_BLOCKED_NUMBERS is malformed.
std::unique_ptr<PhoneSetup> set_up_phone(boost::asio::io_context& io, const Config& config,
                                         server::RelayContext& assistant, std::string api_base_url,
                                         Secret api_key, store::WebhookStore& store, TimeZoneCache& time_zones,
                                         server::Router& router);

}  // namespace calrt::app
