#include "relay_shared.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <vector>

#include "calrt/core/logging.hpp"
#include "relay_session.hpp"

namespace calrt::server {
namespace asio = boost::asio;

RelayShared::RelayShared(RelayContext& relay_context)
    : context(relay_context),
      connections(relay_context.limits.connections_per_minute,
                  relay_context.limits.connections_per_minute),
      active_gauge(relay_context.metrics.gauge("calrt_realtime_sessions_active",
                                               "Browser relay sessions open now")),
      sessions_total(relay_context.metrics.counter("calrt_realtime_sessions_total",
                                                   "Browser relay sessions opened")),
      confirmations_total(relay_context.metrics.counter(
          "calrt_realtime_confirmations_total",
          "Live booking confirmations sent into relay sessions")) {}

std::uint64_t RelayShared::add_session(const std::shared_ptr<RelaySession>& session) {
    const std::lock_guard lock(sessions_mutex_);
    const auto id = next_session_id_++;
    sessions_.emplace(id, session);
    return id;
}

void RelayShared::remove_session(std::uint64_t id) {
    const std::lock_guard lock(sessions_mutex_);
    sessions_.erase(id);
}

bool RelayShared::hold_address(const std::string& client) {
    const std::lock_guard lock(addresses_mutex_);
    auto& open = sessions_per_address_[client];
    if (open >= context.limits.max_sessions_per_address) {
        if (open == 0) sessions_per_address_.erase(client);
        return false;
    }
    ++open;
    return true;
}

void RelayShared::release_address(const std::string& client) {
    const std::lock_guard lock(addresses_mutex_);
    const auto it = sessions_per_address_.find(client);
    if (it == sessions_per_address_.end()) return;
    if (--it->second == 0) sessions_per_address_.erase(it);  // the table holds open sessions only
}

std::string RelayShared::host_name(const asio::any_io_executor& executor) {
    if (auto host = context.calendly.cached_current_user()) return host->name;
    if (!stopping && !host_refresh_running_.exchange(true)) {
        asio::co_spawn(executor, refresh_host(shared_from_this()), asio::detached);
    }
    return {};
}

asio::awaitable<void> RelayShared::refresh_host(std::shared_ptr<RelayShared> self) {
    auto host = co_await self->context.calendly.current_user();
    if (!host) {
        log::info("relay sessions go on without the host's name",
                  {{"code", host.error().code}});
    }
    self->host_refresh_running_ = false;
}

void RelayShared::shut_down() {
    stopping = true;
    std::vector<std::shared_ptr<RelaySession>> open;
    {
        const std::lock_guard lock(sessions_mutex_);
        for (const auto& [id, weak] : sessions_) {
            if (auto session = weak.lock()) open.push_back(std::move(session));
        }
    }
    if (!open.empty()) log::info("closing relay sessions for shutdown", {{"open", open.size()}});
    for (const auto& session : open) session->end_for_shutdown();
}

}  // namespace calrt::server
