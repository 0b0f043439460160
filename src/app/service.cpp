#include "service.hpp"

#include "booking_cap_limits.hpp"
#include "calendly_options.hpp"
#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/organization_directory.hpp"
#include "calrt/core/config_loader.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/readiness.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/server/api_description.hpp"
#include "calrt/server/calendly_routes.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/ops_routes.hpp"
#include "calrt/server/realtime_relay.hpp"
#include "calrt/server/rate_limiter.hpp"
#include "calrt/server/router.hpp"
#include "calrt/server/self_service_audit_routes.hpp"
#include "calrt/server/static_files.hpp"
#include "calrt/server/host_pages.hpp"
#include "calrt/server/webhook_routes.hpp"
#include "calrt/store/webhook_store.hpp"
#include "calrt/tools/shared_calendly_pauses.hpp"
#include "assistant_upstream.hpp"
#include "calendly_scope.hpp"
#include "sandbox.hpp"
#include "phone_setup.hpp"
#include "self_service_setup.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace calrt::app {
namespace asio = boost::asio;

namespace {

// Readiness of Calendly: the host user can be read. Checked at start and again every 30 s while it
// fails (the answer is cached, so a healthy service does not call Calendly for this). Ends when
// `stopping` is set and `timer` is cancelled.
asio::awaitable<void> watch_calendly(calendly::CalendlyClient& client, Readiness& readiness, bool sandbox,
                                     const std::atomic<bool>& stopping, asio::steady_timer& timer) {
    while (!stopping) {
        auto user = co_await client.current_user();
        if (user) {
            readiness.set("calendly", true, sandbox ? "sandbox data from the built-in fake Calendly" : "reachable");
            co_return;
        }
        readiness.set("calendly", false, user.error().message);
        if (stopping) co_return;
        timer.expires_after(std::chrono::seconds(30));
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

// The io_context must end by running out of work: then no coroutine frame is left for its
// destructor to destroy, and nothing a frame borrows can be gone before it (review item M1). If
// some operation never completes (a bug), this stops the io_context after `limit` and says so,
// rather than hanging the process until the orchestrator kills it.
class StopWatchdog {
public:
    explicit StopWatchdog(std::vector<asio::io_context*> contexts) : contexts_(std::move(contexts)) {}
    ~StopWatchdog() {
        {
            std::lock_guard lock(mutex_);
            finished_ = true;
        }
        wake_.notify_all();
    }
    StopWatchdog(const StopWatchdog&) = delete;
    StopWatchdog& operator=(const StopWatchdog&) = delete;

    // Called once shutdown has stopped everything; the io_context should run dry within `limit`.
    void arm(std::chrono::milliseconds limit) {
        thread_ = std::jthread([this, limit] {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, limit, [this] { return finished_; })) return;
            log::error("work was still pending after shutdown; stopping the event loop", {{"waited_ms", limit.count()}});
            for (auto* context : contexts_) context->stop();
        });
    }
    // Called once every io_context's run() has returned.
    void finished() {
        {
            std::lock_guard lock(mutex_);
            finished_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

private:
    std::vector<asio::io_context*> contexts_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool finished_ = false;
    std::jthread thread_;
};

std::unique_ptr<store::WebhookStore> open_store(const Config& config, MetricsRegistry& metrics,
                                                Readiness& readiness) {
    store::StoreOptions options;
    options.database_url = config.database_url;
    options.data_dir = config.data_dir;
    options.metrics = &metrics;
    options.readiness = &readiness;
    options.self_service_audit_retention = std::chrono::days(config.self_service.audit_retention_days);
    auto store = store::WebhookStore::open(options);
    if (!store) {
        // Neither message carries the URL: the store's errors never repeat it.
        throw std::runtime_error((config.database_url.empty() ? "DATA_DIR " + config.data_dir : "DATABASE_URL") +
                                 ": " + store.error().message);
    }
    return std::move(*store);
}

}  // namespace

int run_service(const Config& config) {
    // What the coroutines borrow is declared before the io_context, so that it outlives the
    // io_context even if the watchdog ever has to stop it with work pending.
    MetricsRegistry metrics;
    Readiness readiness;
    const SystemClock clock;
    TimeZoneCache time_zones;
    // Borrowed by the relay's tools like the objects above, so it outlives `io` too.
    const auto self_service = set_up_self_service(config, clock, config.calendly_sandbox(), readiness);
    // The main thread runs `io`: the listener, the Calendly client, signals and a share of the
    // connections. Each further SERVER_THREADS thread runs an io_context of its own with the rest
    // of the connections (HttpServer::spread_connections), so no connection hops between threads.
    asio::io_context io(1);
    std::vector<std::unique_ptr<asio::io_context>> worker_contexts;
    std::vector<asio::io_context*> connection_contexts{&io};
    for (unsigned i = 1; i < config.server.threads; ++i) {
        connection_contexts.push_back(worker_contexts.emplace_back(std::make_unique<asio::io_context>(1)).get());
    }

    auto webhook_store = open_store(config, metrics, readiness);
    // The location stays in the log (the store logs it): /readyz is public and need not tell anyone
    // the file layout or the database host (L9). On PostgreSQL the store keeps this entry current.
    if (config.database_url.empty()) readiness.set("store", true, "open");

    const bool sandbox = config.calendly_sandbox();
    calendly::CalendlyClientOptions calendly_config = calendly_options(config.calendly);
    Secret webhook_secret = config.calendly.webhook_secret;
    SandboxCalendly sandbox_calendly;
    if (sandbox) {
        sandbox_calendly = start_sandbox_calendly(io, webhook_secret, config.calendly.sandbox_organization);
        use_sandbox_calendly(calendly_config, sandbox_calendly);
        webhook_secret = sandbox_calendly.webhook_secret;
    } else if (!config.database_url.empty()) {
        // The host's quota is one for every replica: a pause one of them learns holds them all.
        // One process (SQLite) has every pause in memory already, and no read per request to pay.
        calendly_config.shared_pauses = std::make_shared<tools::SharedCalendlyPauses>(*webhook_store);
    }
    readiness.set("calendly", false, "checking");
    calendly::CalendlyClient calendly_client(io.get_executor(), calendly_config, metrics, clock);
    // Still ready when the plan refuses POST /invitees: reads and single-use links work, and the
    // assistant offers links instead; the detail says so.
    readiness.watch("bookings", [&calendly_client] {
        if (auto refused = calendly_client.booking_refused_by_plan()) {
            return Readiness::Check{true, "direct booking is off: " + refused->message +
                                              " The assistant offers single-use links instead."};
        }
        return Readiness::Check{true, "direct booking through Calendly's API"};
    });
    // One host, or every member of the organization (an admin's token): decided before anything
    // is served, so that no page or conversation sees the other.
    const CalendlyScope scope = decide_calendly_scope_now(io, calendly_client, config.calendly.scope);
    std::shared_ptr<calendly::OrganizationDirectory> directory;
    if (scope.organization) {
        directory = std::make_shared<calendly::OrganizationDirectory>(
            calendly_client, io.get_executor(),
            calendly::OrganizationDirectoryOptions{config.calendly.directory_refresh, 4}, metrics);
        directory->reload_soon();  // read now, so that the first page does not wait for it
    }
    log::info("calendly scope", {{"scope", scope.organization ? "organization" : "user"}, {"why", scope.why}});
    server::RateLimiter public_post_limit(config.rate_limits.public_post_per_minute,
                                          config.rate_limits.public_post_burst);
    server::RateLimiter public_read_limit(config.rate_limits.public_read_per_minute,
                                          config.rate_limits.public_read_burst);
    // Shared by the REST API, every conversation and call, and through the store every replica:
    // one set of daily caps for the whole service, kept across restarts.
    tools::BookingCaps booking_caps(booking_cap_limits(config.rate_limits), clock, *webhook_store);

    server::Router router;
    server::add_ops_routes(router, readiness, metrics, config.metrics_access);
    server::add_api_description_route(router);
    server::CalendlyRouteContext calendly_routes{calendly_client, config.calendly.fallback_url, config.admin_token,
                                                 public_post_limit, time_zones, clock, {}, &public_read_limit,
                                                 &booking_caps,
                                                 config.self_service.booking_requires_verified_email};
    calendly_routes.directory = directory.get();
    server::add_calendly_routes(router, calendly_routes);
    server::WebhookRouteContext webhook_routes{*webhook_store, webhook_secret, config.admin_token, clock, metrics,
                                               config.server.limits.max_webhook_body_bytes};
    if (directory) {
        // Calendly announces changes to event types (not to memberships: those wait for the
        // scheduled read).
        webhook_routes.on_stored = [&directory](std::string_view event) {
            if (event.starts_with("event_type.")) directory->reload_soon();
        };
    }
    server::add_webhook_routes(router, webhook_routes);
    server::SelfServiceAuditRouteContext audit_routes{*webhook_store, config.admin_token};
    server::add_self_service_audit_routes(router, audit_routes);
    const server::StaticFiles web_files(config.server.web_root);
    if (web_files.size() == 0) {
        log::warn("no static files found; GET / will answer 404", {{"web_root", config.server.web_root}});
    }
    router.fallback_get(server::sync_handler([&web_files](server::Request& r) { return web_files.serve(r); }));
    if (directory) server::add_host_page_routes(router, web_files, *directory);

    AssistantUpstream assistant = assistant_upstream(io, config);
    // REALTIME_DAILY_MINUTES_PER_ADDRESS bounds what one address costs the host at OpenAI; the
    // sandbox assistant costs nothing, so someone trying the service locally is never cut off.
    RealtimeRelayConfig relay_limits = config.realtime_relay;
    if (assistant.sandbox) relay_limits.daily_minutes_per_address = 0;
    net::WebSocketOptions browser_websocket;
    browser_websocket.linger_timeout = config.server.limits.lingering_close_timeout;
    browser_websocket.linger_max_bytes = config.server.limits.lingering_close_bytes;
    server::RelayContext relay{relay_limits, assistant.options, calendly_client, config.calendly.fallback_url,
                               time_zones,          clock,             metrics,         &webhook_store->feed(),
                               browser_websocket,   &booking_caps};
    relay.self_service = self_service ? &self_service->context : nullptr;
    relay.directory = directory;
    // Open sessions per address across replicas: with one process (SQLite) its own count is the
    // whole count.
    if (!config.database_url.empty()) relay.session_places = webhook_store.get();
    // Reset only after io has run dry (below), so every change being recorded completes first.
    if (self_service) self_service->context.audit_log = webhook_store.get();

    // Phone calls share the relay's assistant: the same Calendly client, budgets and Realtime options.
    const auto phone = set_up_phone(io, config, relay,
                                    assistant.sandbox ? assistant.sandbox->rest_url()
                                                      : config.deployment.openai_api_base_url,
                                    assistant.options.api_key, *webhook_store, time_zones, router);

    server::HttpServer http(io, config.server, router, metrics);
    http.spread_connections(connection_contexts);
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
    asio::steady_timer calendly_retry(io);
    asio::co_spawn(io, watch_calendly(calendly_client, readiness, sandbox, stopping, calendly_retry), asio::detached);

    StopWatchdog watchdog(connection_contexts);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    // Everything with work outstanding besides the HTTP server, stopped once the server has
    // drained; then the io_context runs out of work and run() returns.
    auto stop_the_rest = [&] {
        asio::post(calendly_retry.get_executor(), [&] { calendly_retry.cancel(); });
        // Tool calls that outlived their conversation and the readiness check may still wait on
        // Calendly: they end now instead of at their deadlines.
        calendly_client.stop();
        // A call left without its sideband would talk on unable to book: hang up the calls.
        phone->call_context.active.end_all();
        if (sandbox) sandbox_calendly.fake->stop();
        if (assistant.sandbox) assistant.sandbox->stop();
        // Back to the default disposition: a second Ctrl-C now ends the process at once.
        boost::system::error_code ignored;
        signals.clear(ignored);
        watchdog.arm(std::chrono::seconds(5));
    };
    signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
        if (ec) return;
        log::info("shutting down", {{"signal", signal_number}, {"grace_ms", config.server.shutdown_grace.count()}});
        stopping = true;
        readiness.set("server", false, "shutting down");
        http.shutdown(config.server.shutdown_grace, stop_the_rest);
    });

    // A worker's io_context has no work until a connection arrives: the guard keeps it running
    // until the main io_context has run dry, which is after the server drained every connection.
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
    std::vector<std::jthread> workers;
    for (auto& context : worker_contexts) {
        keep_running.push_back(asio::make_work_guard(*context));
        workers.emplace_back([&context = *context] { context.run(); });
    }
    io.run();
    keep_running.clear();
    for (auto& worker : workers) worker.join();
    watchdog.finished();
    // The store completes what is queued before the io_context (its completions' target) goes away.
    webhook_store.reset();
    log::info("stopped");
    return 0;
}

}  // namespace calrt::app
