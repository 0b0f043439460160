#include "connection_pool.hpp"

#include <boost/asio/post.hpp>

#include <vector>

namespace calrt::net {
using std::chrono::steady_clock;

void discard(std::unique_ptr<HttpConnection> connection) {
    if (!connection) return;
    auto executor = connection->executor();
    boost::asio::post(executor, [doomed = std::move(connection)]() mutable { doomed.reset(); });
}

ConnectionPool::ConnectionPool(std::size_t max_idle_per_origin, std::chrono::milliseconds idle_ttl)
    : max_idle_per_origin_(max_idle_per_origin), idle_ttl_(idle_ttl) {}

ConnectionPool::~ConnectionPool() = default;

std::unique_ptr<HttpConnection> ConnectionPool::take(const std::string& origin) {
    std::vector<std::unique_ptr<HttpConnection>> unusable;
    std::unique_ptr<HttpConnection> found;
    {
        const std::lock_guard lock(mutex_);
        auto entry = idle_.find(origin);
        if (entry == idle_.end()) return nullptr;
        auto& idle = entry->second;
        const auto now = steady_clock::now();
        // Newest first: it is the least likely to have hit the server's own idle timeout.
        while (!idle.empty() && !found) {
            IdleConnection candidate = std::move(idle.back());
            idle.pop_back();
            if (now - candidate.idle_since < idle_ttl_ && candidate.connection->idle_and_open()) {
                found = std::move(candidate.connection);
            } else {
                unusable.push_back(std::move(candidate.connection));
            }
        }
        // Whatever is left is older still: drop the expired ones now rather than at the next take.
        while (!idle.empty() && now - idle.front().idle_since >= idle_ttl_) {
            unusable.push_back(std::move(idle.front().connection));
            idle.pop_front();
        }
        if (idle.empty()) idle_.erase(entry);
    }
    for (auto& connection : unusable) discard(std::move(connection));
    return found;
}

void ConnectionPool::give_back(const std::string& origin,
                               std::unique_ptr<HttpConnection> connection) {
    std::unique_ptr<HttpConnection> evicted;
    {
        const std::lock_guard lock(mutex_);
        if (max_idle_per_origin_ == 0) {
            evicted = std::move(connection);
        } else {
            auto& idle = idle_[origin];
            if (idle.size() >= max_idle_per_origin_) {
                evicted = std::move(idle.front().connection);
                idle.pop_front();
            }
            idle.push_back({std::move(connection), steady_clock::now()});
        }
    }
    discard(std::move(evicted));
}

}  // namespace calrt::net
