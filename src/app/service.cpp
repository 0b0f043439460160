#include "service.hpp"

#include "calrt/core/config_loader.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/readiness.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/ops_routes.hpp"
#include "calrt/server/router.hpp"
#include "calrt/server/static_files.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <thread>
#include <vector>

namespace calrt::app {

int run_service(const Config& config) {
    boost::asio::io_context io(static_cast<int>(config.server.threads));
    MetricsRegistry metrics;
    Readiness readiness;

    server::Router router;
    server::add_ops_routes(router, readiness, metrics);
    const server::StaticFiles web_files(config.server.web_root);
    if (web_files.size() == 0) {
        log::warn("no static files found; GET / will answer 404", {{"web_root", config.server.web_root}});
    }
    router.fallback_get(server::sync_handler([&web_files](server::Request& r) { return web_files.serve(r); }));

    if (config.calendly_sandbox()) {
        readiness.set("calendly", true, "sandbox data: no CALENDLY_API_KEY is set (or --sandbox was given)");
    }

    server::HttpServer http(io, config.server, router, metrics);
    http.start();
    readiness.set("server", true);
    log::info("listening", {{"host", config.server.host},
                            {"port", http.port()},
                            {"sandbox", config.calendly_sandbox()},
                            {"threads", config.server.threads}});
    if (log::enabled(log::Level::debug)) log::debug("configuration", {{"settings", describe_config(config)}});

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
        if (ec) return;
        log::info("shutting down", {{"signal", signal_number}, {"grace_ms", config.server.shutdown_grace.count()}});
        readiness.set("server", false, "shutting down");
        http.shutdown(config.server.shutdown_grace, [&io] { io.stop(); });
    });

    std::vector<std::jthread> workers;
    for (unsigned i = 1; i < config.server.threads; ++i) workers.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& worker : workers) worker.join();
    log::info("stopped");
    return 0;
}

}  // namespace calrt::app
