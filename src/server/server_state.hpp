#pragma once
// What the listener and every connection share: configuration, the request pipeline, upgrade routes
// and the set of live sessions (so shutdown can drain them).

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
        : config(c), pipeline(router, metrics) {}

    const ServerConfig config;
    RequestPipeline pipeline;
    std::map<std::string, UpgradeHandler, std::less<>> upgrade_routes;  // fixed before start()
    std::atomic<bool> draining{false};
    std::atomic<std::size_t> open_connections{0};

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
