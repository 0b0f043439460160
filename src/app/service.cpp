#include "service.hpp"

#include "calendly_options.hpp"
#include "calrt/calendly/calendly_client.hpp"
#include "calrt/core/config_loader.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/readiness.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/server/calendly_routes.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/ops_routes.hpp"
#include "calrt/server/realtime_relay.hpp"
#include "calrt/server/rate_limiter.hpp"
#include "calrt/server/router.hpp"
#include "calrt/server/static_files.hpp"
#include "calrt/server/webhook_routes.hpp"
#include "calrt/store/webhook_store.hpp"
#include "assistant_upstream.hpp"
#include "sandbox.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <csignal>
#include <stdexcept>
#include <thread>
#include <vector>

namespace calrt::app {
namespace asio = boost::asio;

namespace {

// Readiness of Calendly: the host user can be read. Checked at start and again every 30 s while it
// fails (the answer is cached, so a healthy service does not call Calendly for this).
asio::awaitable<void> watch_calendly(calendly::CalendlyClient& client, Readiness& readiness, bool sandbox,
                                     const std::atomic<bool>& stopping) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (!stopping) {
        auto user = co_await client.current_user();
        if (user) {
            readiness.set("calendly", true, sandbox ? "sandbox data from the built-in fake Calendly" : "reachable");
            co_return;
        }
        readiness.set("calendly", false, user.error().message);
        timer.expires_after(std::chrono::seconds(30));
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

std::unique_ptr<store::WebhookStore> open_store(const Config& config, MetricsRegistry& metrics) {
    store::StoreOptions options;
    options.data_dir = config.data_dir;
    options.metrics = &metrics;
    auto store = store::WebhookStore::open(options);
    if (!store) throw std::runtime_error("DATA_DIR " + config.data_dir + ": " + store.error().message);
    return std::move(*store);
}

}  // namespace

int run_service(const Config& config) {
    asio::io_context io(static_cast<int>(config.server.threads));
    MetricsRegistry metrics;
    Readiness readiness;
    const SystemClock clock;
    TimeZoneCache time_zones;

    auto webhook_store = open_store(config, metrics);
    readiness.set("store", true, webhook_store->database_file().string());

    const bool sandbox = config.calendly_sandbox();
    calendly::CalendlyClientOptions calendly_config = calendly_options(config.calendly);
    Secret webhook_secret = config.calendly.webhook_secret;
    SandboxCalendly sandbox_calendly;
    if (sandbox) {
        sandbox_calendly = start_sandbox_calendly(io, webhook_secret);
        use_sandbox_calendly(calendly_config, sandbox_calendly);
        webhook_secret = sandbox_calendly.webhook_secret;
    }
    readiness.set("calendly", false, "checking");
    calendly::CalendlyClient calendly_client(io.get_executor(), calendly_config, metrics, clock);
    server::RateLimiter public_post_limit(config.rate_limits.public_post_per_minute,
                                          config.rate_limits.public_post_burst);

    server::Router router;
    server::add_ops_routes(router, readiness, metrics);
    server::CalendlyRouteContext calendly_routes{calendly_client, config.calendly.fallback_url, config.admin_token,
                                                 public_post_limit, time_zones, clock};
    server::add_calendly_routes(router, calendly_routes);
    server::WebhookRouteContext webhook_routes{*webhook_store, webhook_secret, config.admin_token, clock, metrics,
                                               config.server.limits.max_webhook_body_bytes};
    server::add_webhook_routes(router, webhook_routes);
    const server::StaticFiles web_files(config.server.web_root);
    if (web_files.size() == 0) {
        log::warn("no static files found; GET / will answer 404", {{"web_root", config.server.web_root}});
    }
    router.fallback_get(server::sync_handler([&web_files](server::Request& r) { return web_files.serve(r); }));

    AssistantUpstream assistant = assistant_upstream(io, config);
    server::RelayContext relay{config.realtime_relay, assistant.options, calendly_client, config.calendly.fallback_url,
                               time_zones, clock, metrics, &webhook_store->feed(), {}};

    server::HttpServer http(io, config.server, router, metrics);
    server::add_realtime_relay(http, relay);
    http.start();
    readiness.set("realtime", true,
                  assistant.sandbox ? "sandbox assistant (no OPENAI_API_KEY)" : "OpenAI Realtime, model " + config.openai.model);
    if (sandbox) deliver_sandbox_webhooks_to(sandbox_calendly, http.port());
    readiness.set("server", true);
    log::info("listening", {{"host", config.server.host},
                            {"port", http.port()},
                            {"sandbox", sandbox},
                            {"threads", config.server.threads}});
    if (log::enabled(log::Level::debug)) log::debug("configuration", {{"settings", describe_config(config)}});

    std::atomic<bool> stopping{false};
    asio::co_spawn(io, watch_calendly(calendly_client, readiness, sandbox, stopping), asio::detached);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
        if (ec) return;
        log::info("shutting down", {{"signal", signal_number}, {"grace_ms", config.server.shutdown_grace.count()}});
        stopping = true;
        readiness.set("server", false, "shutting down");
        http.shutdown(config.server.shutdown_grace, [&io] { io.stop(); });
    });

    std::vector<std::jthread> workers;
    for (unsigned i = 1; i < config.server.threads; ++i) workers.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& worker : workers) worker.join();
    // The store completes what is queued before the io_context (its completions' target) goes away.
    webhook_store.reset();
    log::info("stopped");
    return 0;
}

}  // namespace calrt::app
