#pragma once
// Idle keep-alive connections, per origin (scheme://host:port), bounded in number and age. Safe to
// use from any thread; a connection is owned by exactly one request while it is out of the pool.

#include "http_connection.hpp"

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace calrt::net {

class ConnectionPool {
  public:
    ConnectionPool(std::size_t max_idle_per_origin, std::chrono::milliseconds idle_ttl);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // The most recently used idle connection to `origin` that is still open, or null. Connections
    // found expired or closed by the server on the way are discarded.
    std::unique_ptr<HttpConnection> take(const std::string& origin);
    // Keeps `connection` for the next request to `origin`; when the origin already has its limit of
    // idle connections, the oldest one is closed.
    void give_back(const std::string& origin, std::unique_ptr<HttpConnection> connection);

  private:
    struct IdleConnection {
        std::unique_ptr<HttpConnection> connection;
        std::chrono::steady_clock::time_point idle_since;
    };

    const std::size_t max_idle_per_origin_;
    const std::chrono::milliseconds idle_ttl_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::deque<IdleConnection>> idle_;  // oldest first
};

// Closes `connection` on its own strand, where every operation on it must run.
void discard(std::unique_ptr<HttpConnection> connection);

}  // namespace calrt::net
