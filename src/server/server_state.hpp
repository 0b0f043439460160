#pragma once
// What the listener and every connection share: configuration, the request pipeline, upgrade routes
// and the set of live sessions (so shutdown can drain them).

#include "admission.hpp"
#include "calrt/core/config.hpp"
#include "request_pipeline.hpp"
#include "calrt/server/upgrade.hpp"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace calrt::server {

class HttpSession;

struct ServerState {
    ServerState(const ServerConfig& c, const Router& router, MetricsRegistry& metrics)
        : config(c),
          pipeline(router, metrics),
          connections_by_address(c.limits.max_connections_per_address),
          body_budget(c.limits.max_buffered_body_bytes),
          refusals_too_many(metrics.counter("http_connections_refused_total", "Connections refused on accept, by reason",
                                            {{"reason", "too_many_connections"}})),
          refusals_per_address(metrics.counter("http_connections_refused_total",
                                               "Connections refused on accept, by reason",
                                               {{"reason", "too_many_connections_from_address"}})),
          body_budget_refusals(metrics.counter("http_body_budget_refusals_total",
                                               "Requests refused because request bodies being read hold the budget")) {}

    const ServerConfig config;
    RequestPipeline pipeline;
    AddressConnections connections_by_address;
    BodyBudget body_budget;
    Counter& refusals_too_many;
    Counter& refusals_per_address;
    Counter& body_budget_refusals;
    std::map<std::string, UpgradeHandler, std::less<>> upgrade_routes;  // fixed before start()
    std::atomic<bool> draining{false};
    std::atomic<std::size_t> open_connections{0};

    // At 3/4 of MAX_CONNECTIONS the server is busy: idle keep-alive connections get the short limit.
    std::size_t busy_threshold() const { return (config.limits.max_connections * 3 + 3) / 4; }
    bool busy() const { return open_connections.load() >= busy_threshold(); }

    std::uint64_t add_session(std::weak_ptr<HttpSession> session) {
        std::lock_guard lock(mutex);
        sessions.emplace(next_session_id, std::move(session));
        return next_session_id++;
    }
    void remove_session(std::uint64_t id) {
        std::lock_guard lock(mutex);
        sessions.erase(id);
    }
    std::vector<std::shared_ptr<HttpSession>> live_sessions() {
        std::lock_guard lock(mutex);
        std::vector<std::shared_ptr<HttpSession>> out;
        for (auto& [id, weak] : sessions) {
            if (auto s = weak.lock()) out.push_back(std::move(s));
        }
        return out;
    }

private:
    std::mutex mutex;
    std::map<std::uint64_t, std::weak_ptr<HttpSession>> sessions;
    std::uint64_t next_session_id = 1;
};

}  // namespace calrt::server
