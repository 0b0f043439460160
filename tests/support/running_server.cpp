#include "support/running_server.hpp"

#include "calrt/core/logging.hpp"

#include <future>

namespace calrt::test {

ServerConfig test_server_config() {
    ServerConfig config;
    config.host = "127.0.0.1";
    config.port = 0;
    config.threads = 2;
    config.shutdown_grace = std::chrono::seconds(5);
    return config;
}

RunningServer::RunningServer(ServerConfig c)
    : config(std::move(c)), work_(boost::asio::make_work_guard(io)) {
    log::configure("warn", "text");
}

void RunningServer::start() {
    server_ = std::make_unique<server::HttpServer>(io, config, router, metrics);
    if (!connection_contexts.empty()) server_->spread_connections(connection_contexts);
    server_->start();
    for (unsigned i = 0; i < config.threads; ++i) threads_.emplace_back([this] { io.run(); });
}

bool RunningServer::shutdown_and_wait(std::chrono::milliseconds grace, std::chrono::milliseconds wait) {
    auto done = std::make_shared<std::promise<void>>();
    auto finished = done->get_future();
    server_->shutdown(grace, [done] { done->set_value(); });
    return finished.wait_for(wait) == std::future_status::ready;
}

RunningServer::~RunningServer() {
    work_.reset();
    io.stop();
    threads_.clear();  // joins
    server_.reset();
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return condition();
}

}  // namespace calrt::test
