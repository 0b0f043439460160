#pragma once
// The HTTP/1.1 server: a listener and one coroutine per connection (keep-alive, sequential handling
// of pipelined requests, limits and timeouts), dispatching to a Router. Beast stays in the .cpp files.

#include "calrt/core/config.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/server/router.hpp"
#include "calrt/server/upgrade.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace calrt::server {

class HttpServer {
public:
    HttpServer(boost::asio::io_context& io, const ServerConfig& config, const Router& router,
               MetricsRegistry& metrics);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // WebSocket upgrades on `path` go to `handler`, which takes over the connection.
    void on_upgrade(std::string path, UpgradeHandler handler);

    // `hook` runs once when shutdown() begins (on the calling thread), so owners of long-lived
    // upgraded connections can end them with a close reason within the grace period.
    void on_shutdown(std::function<void()> hook);

    // Before start(): each accepted connection goes to the next of `contexts` in turn (the
    // io_context given to the constructor when there are none). Each context must be run by one
    // thread: a connection's reads, writes, timers and relay session then stay on that thread, as
    // an nginx worker's do, with no hand-off between threads per event and no strand
    // (docs/operations.md, "Performance").
    void spread_connections(std::vector<boost::asio::io_context*> contexts);

    // Binds and starts accepting. Throws std::runtime_error naming the address when it cannot listen
    // (start-up misconfiguration).
    void start();
    std::uint16_t port() const;

    // Stops accepting, lets in-flight requests finish for up to `grace` (idle keep-alive connections
    // close at once), then closes whatever is left and calls `done` (on an I/O thread).
    void shutdown(std::chrono::milliseconds grace, std::function<void()> done);

    std::size_t open_connections() const;
    // Bytes of MAX_BUFFERED_BODY_BYTES that request bodies being read hold now.
    std::size_t buffered_body_bytes() const;

    struct State;  // opaque: the listener's and connections' shared state

private:
    std::shared_ptr<State> state_;
};

}  // namespace calrt::server
