#include "phone_simulate_command.hpp"

#include "assistant_upstream.hpp"
#include "booking_cap_limits.hpp"
#include "calendly_options.hpp"
#include "phone_setup.hpp"
#include "sandbox.hpp"
#include "simulated_call.hpp"

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/core/base64.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/random.hpp"
#include "calrt/core/readiness.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/realtime_relay.hpp"
#include "calrt/server/router.hpp"
#include "calrt/server/webhook_routes.hpp"
#include "calrt/store/webhook_store.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace calrt::app {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kUsage =
    "usage: calendly-realtime phone simulate [--from +14155550123] [--sandbox] [--SETTING VALUE ...]\n";
constexpr std::string_view kDefaultCaller = "+14155550123";

// The webhook store of this run: a directory of its own, removed with everything in it at the end.
class TemporaryDirectory {
  public:
    TemporaryDirectory() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "calendly-realtime-phone-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("cannot create a temporary directory: " + std::string(std::strerror(errno)));
        }
        path_ = pattern;
    }
    ~TemporaryDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }

  private:
    std::filesystem::path path_;
};

// E.164 as a caller's network would send it: up to 15 digits (ITU-T E.164 §6), '+' optional.
bool is_phone_number(std::string_view text) {
    if (text.starts_with('+')) text.remove_prefix(1);
    return text.size() >= 3 && text.size() <= 15 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The configuration of this run: the sandbox assistant whatever OPENAI_API_KEY says, a webhook
// secret made up for the run (the route takes it from the configuration), at least one line, and
// the store in `data_dir` (never the host's DATABASE_URL or DATA_DIR: a simulated call must not
// count against the real phone's limits or leave claims behind).
Config simulation_config(const Config& configured, const std::filesystem::path& data_dir) {
    Config config = configured;
    config.openai.api_key = Secret();
    // Standard Webhooks' whsec_ form: the key is what the base64 decodes to.
    config.phone.webhook_secret = Secret("whsec_" + encode_base64(random_hex(32)));
    config.phone.max_calls = std::max<std::size_t>(config.phone.max_calls, 1);
    config.database_url = Secret();
    config.data_dir = data_dir.string();
    config.server.host = "127.0.0.1";
    config.server.port = 0;
    return config;
}

std::unique_ptr<store::WebhookStore> open_store(const Config& config, MetricsRegistry& metrics,
                                                Readiness& readiness) {
    store::StoreOptions options;
    options.data_dir = config.data_dir;
    options.metrics = &metrics;
    options.readiness = &readiness;
    auto store = store::WebhookStore::open(options);
    if (!store) throw std::runtime_error("the simulation's webhook store: " + store.error().message);
    return std::move(*store);
}

int simulate(const Config& config, const std::string& caller_number) {
    MetricsRegistry metrics;
    Readiness readiness;
    const SystemClock clock;
    TimeZoneCache time_zones;
    asio::io_context io(1);
    auto webhook_store = open_store(config, metrics, readiness);

    // As run_service wires it (service.cpp), without the browser's routes.
    const bool sandbox_calendly = config.calendly_sandbox();
    calendly::CalendlyClientOptions calendly_config = calendly_options(config.calendly);
    Secret calendly_webhook_secret = config.calendly.webhook_secret;
    SandboxCalendly sandbox;
    if (sandbox_calendly) {
        sandbox = start_sandbox_calendly(io, calendly_webhook_secret);
        use_sandbox_calendly(calendly_config, sandbox);
        calendly_webhook_secret = sandbox.webhook_secret;
    }
    calendly::CalendlyClient calendly_client(io.get_executor(), calendly_config, metrics, clock);
    tools::BookingCaps booking_caps(booking_cap_limits(config.rate_limits), clock, *webhook_store);

    server::Router router;
    // Calendly's invitee.created for a booking made in the call comes back here, and through the
    // store's feed to the call, which confirms it.
    server::WebhookRouteContext webhook_routes{*webhook_store, calendly_webhook_secret, config.admin_token, clock,
                                               metrics, config.server.limits.max_webhook_body_bytes};
    server::add_webhook_routes(router, webhook_routes);

    AssistantUpstream assistant = assistant_upstream(io, config);
    RealtimeRelayConfig relay_limits = config.realtime_relay;
    relay_limits.daily_minutes_per_address = 0;  // the sandbox assistant costs nothing
    server::RelayContext relay{relay_limits,      assistant.options, calendly_client, config.calendly.fallback_url,
                               time_zones,        clock,             metrics,         &webhook_store->feed(),
                               {},                &booking_caps};
    const auto phone = set_up_phone(io, config, relay, assistant.sandbox->rest_url(), assistant.options.api_key,
                                    *webhook_store, time_zones, router);

    server::HttpServer http(io, config.server, router, metrics);
    http.start();
    if (sandbox_calendly) deliver_sandbox_webhooks_to(sandbox, http.port());

    std::cout << "Calling the sandbox assistant from " << caller_number
              << (sandbox_calendly ? " (sandbox Calendly data)" : " (the host's Calendly account)")
              << ": a simulated phone call; nothing reaches OpenAI or a phone network.\n"
              << "Type what the caller says and press Enter; /press DIGITS presses keys; /hangup or end of "
                 "input (Ctrl-D) hangs up.\n"
              << std::flush;

    SimulatedCall call{*assistant.sandbox,
                       "http://127.0.0.1:" + std::to_string(http.port()) + "/api/openai/webhook",
                       config.phone.webhook_secret,
                       caller_number,
                       metrics,
                       std::cout};
    int exit_code = 1;
    asio::co_spawn(io, run_simulated_call(std::move(call)), [&](std::exception_ptr failure, int code) {
        exit_code = code;
        phone->call_context.active.end_all();
        calendly_client.stop();
        io.stop();  // the fakes' listeners would keep it running
        if (failure) std::rethrow_exception(failure);
    });
    io.run();
    // The store completes what is queued before the io_context (its completions' target) goes away.
    webhook_store.reset();
    return exit_code;
}

}  // namespace

int run_phone_command(const Config& config, const std::vector<std::string>& words,
                      const std::map<std::string, std::string, std::less<>>& options) {
    const bool other_options = std::any_of(options.begin(), options.end(),
                                           [](const auto& option) { return option.first != "--from"; });
    if (words.size() != 1 || words.front() != "simulate" || other_options) {
        std::cerr << kUsage;
        return 2;
    }
    const auto from = options.find("--from");
    const std::string caller_number = from == options.end() ? std::string(kDefaultCaller) : from->second;
    if (!is_phone_number(caller_number)) {
        std::cerr << "calendly-realtime: --from takes a phone number such as " << kDefaultCaller << "\n";
        return 2;
    }
    // Info lines would interleave with the call; LOG_LEVEL=debug (or warn and above) is honoured.
    if (config.log.level == "info") log::configure("warn", config.log.format);
    if (!config.openai.api_key.empty() && !config.sandbox_requested) {
        std::cout << "phone simulate uses the sandbox assistant, not OpenAI (OPENAI_API_KEY is left unused): "
                     "OpenAI's SIP calls come from a phone network and cannot be placed from a terminal.\n";
    }
    const TemporaryDirectory data_dir;
    return simulate(simulation_config(config, data_dir.path()), caller_number);
}

}  // namespace calrt::app
