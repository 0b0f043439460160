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
          connections_by_address(ConnectionCaps{c.limits.max_connections_per_address,
                                                c.limits.max_connections_per_ipv6_48,
                                                c.limits.max_connections_per_ipv4_24}),
          body_budget(c.limits.max_buffered_body_bytes, body_share_per_address(c.limits)),
          refusals_too_many(refusal_counter(metrics, "too_many_connections")),
          refusals_per_address(refusal_counter(metrics, "too_many_connections_from_address")),
          refusals_per_network(refusal_counter(metrics, "too_many_connections_from_network")),
          body_budget_refusals(body_refusal_counter(metrics, "server_budget")),
          body_share_refusals(body_refusal_counter(metrics, "address_share")) {}

    // MAX_BUFFERED_BODY_BYTES_PER_ADDRESS, where 0 means a sixteenth of the whole budget.
    static std::size_t body_share_per_address(const HttpLimits& limits) {
        return limits.max_buffered_body_bytes_per_address > 0 ? limits.max_buffered_body_bytes_per_address
                                                               : limits.max_buffered_body_bytes / 16;
    }
    static Counter& refusal_counter(MetricsRegistry& metrics, const char* reason) {
        return metrics.counter("http_connections_refused_total", "Connections refused on accept, by reason",
                               {{"reason", reason}});
    }
    static Counter& body_refusal_counter(MetricsRegistry& metrics, const char* reason) {
        return metrics.counter("http_body_budget_refusals_total",
                               "Requests refused because bodies being read hold the budget, or the "
                               "client address's share of it, by reason",
                               {{"reason", reason}});
    }

    // Refusals on accept being answered at once; past this many, a refused connection is reset
    // without an answer (review item N8). Each lasts at most kRefusalTime.
    static constexpr std::size_t kMaxRefusalsInFlight = 64;

    const ServerConfig config;
    RequestPipeline pipeline;
    AddressConnections connections_by_address;
    BodyBudget body_budget;
    RefusalsInFlight refusals_in_flight{kMaxRefusalsInFlight};
    Counter& refusals_too_many;
    Counter& refusals_per_address;
    Counter& refusals_per_network;
    Counter& body_budget_refusals;
    Counter& body_share_refusals;
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
