#include "phone_setup.hpp"

#include <stdexcept>

#include "calrt/core/logging.hpp"

namespace calrt::app {

namespace {

template <typename T>
T or_refuse(Result<T> parsed, std::string_view setting) {
    if (!parsed) throw std::runtime_error(std::string(setting) + ": " + parsed.error().message);
    return std::move(*parsed);
}

phone::PhoneCallSettings call_settings(const Config& config) {
    phone::PhoneCallSettings settings;
    settings.handoff_uri = config.phone.handoff_uri;
    settings.max_duration = std::chrono::minutes(config.phone.max_call_minutes);
    settings.max_responses = config.realtime_relay.session_max_responses;
    return settings;
}

phone::CallerLimitsOptions limits_options(const Config& config) {
    return {config.phone.max_calls_per_number_per_hour, config.phone.max_calls_per_number_per_day,
            config.phone.max_minutes_per_day};
}

// "" when the caller may call now, else the limit's reason. A named coroutine (GCC 12 and coroutine
// lambdas' captures).
boost::asio::awaitable<Result<std::string>> admit_caller(phone::CallerLimits& limits, std::string number) {
    auto refusal = co_await limits.admit(std::move(number));
    if (!refusal) co_return refusal.error();
    co_return std::string(*refusal == phone::CallRefusal::none ? std::string_view{} : phone::refusal_reason(*refusal));
}

}  // namespace

PhoneSetup::PhoneSetup(boost::asio::io_context& io, const Config& config, server::RelayContext& assistant,
                       std::string api_base_url, Secret api_key, store::WebhookStore& store, TimeZoneCache& time_zones)
    : http(io.get_executor()),
      calls(phone::make_openai_phone_calls(http, {.api_base_url = std::move(api_base_url), .api_key = std::move(api_key)})),
      // In the store: two replicas that get the same delivery accept the call once.
      claims(std::make_unique<phone::StoreWebhookClaims>(store)),
      limits(store, limits_options(config), assistant.clock),
      lines(config.phone.max_calls),
      call_context{assistant, *calls, lines, call_settings(config)},
      route{config.phone.webhook_secret, *calls,         *claims,           lines,
            nlohmann::json::object(),   assistant.clock, assistant.metrics, io.get_executor()} {
    route.call_context = &call_context;
    route.admit_caller = [this](std::string number) { return admit_caller(limits, std::move(number)); };
    call_context.charge_call_time = [this](std::chrono::seconds elapsed) { return limits.charge_call_time(elapsed); };
    route.hours = or_refuse(phone::PhoneHours::parse(config.phone.hours), "PHONE_HOURS");
    route.hours_zone = or_refuse(time_zones.get(config.phone.time_zone), "PHONE_TIME_ZONE");
    route.blocked = or_refuse(phone::BlockedNumbers::parse(config.phone.blocked_numbers), "PHONE_BLOCKED_NUMBERS");
}

std::unique_ptr<PhoneSetup> set_up_phone(boost::asio::io_context& io, const Config& config,
                                         server::RelayContext& assistant, std::string api_base_url,
                                         Secret api_key, store::WebhookStore& store, TimeZoneCache& time_zones,
                                         server::Router& router) {
    auto setup = std::make_unique<PhoneSetup>(io, config, assistant, std::move(api_base_url), std::move(api_key),
                                              store, time_zones);
    phone::add_openai_webhook_route(router, setup->route);
    if (config.phone.webhook_secret.empty()) {
        log::info("phone calls are off: OPENAI_WEBHOOK_SECRET is not set");
    } else {
        log::info("phone calls are on", {{"max_calls", config.phone.max_calls},
                                        {"handoff", config.phone.handoff_uri.empty() ? "none" : "set"},
                                        {"hours", config.phone.hours.empty() ? "any time" : config.phone.hours}});
    }
    return setup;
}

}  // namespace calrt::app
