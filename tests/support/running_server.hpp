#pragma once
// The real HTTP server, in-process on an ephemeral 127.0.0.1 port, with its I/O threads running
// until the object is destroyed. Tests add routes to `router` before start().

#include "calrt/core/config.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/readiness.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/router.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace calrt::test {

ServerConfig test_server_config();

class RunningServer {
public:
    explicit RunningServer(ServerConfig config = test_server_config());
    ~RunningServer();

    void start();
    std::uint16_t port() const { return server_->port(); }
    // Begins a graceful shutdown; returns once `done` has run or `wait` has passed.
    bool shutdown_and_wait(std::chrono::milliseconds grace, std::chrono::milliseconds wait);

    boost::asio::io_context io;
    MetricsRegistry metrics;
    Readiness readiness;
    server::Router router;
    ServerConfig config;
    // When set before start(): the contexts connections are spread over (HttpServer::spread_connections).
    std::vector<boost::asio::io_context*> connection_contexts;
    std::unique_ptr<server::HttpServer> server_;

private:
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::vector<std::jthread> threads_;
};

// Polls `condition` until it holds or `timeout` passes; the way tests wait without sleeping blindly.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace calrt::test
