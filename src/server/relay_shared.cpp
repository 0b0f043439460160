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
      daily_minutes(std::chrono::minutes(relay_context.limits.daily_minutes_per_address),
                    relay_context.clock),
      active_gauge(relay_context.metrics.gauge("calrt_realtime_sessions_active",
                                               "Browser relay sessions open now")),
      sessions_total(relay_context.metrics.counter("calrt_realtime_sessions_total",
                                                   "Browser relay sessions opened")),
      confirmations_total(relay_context.metrics.counter(
          "calrt_realtime_confirmations_total",
          "Live booking confirmations sent into relay sessions")) {
    if (relay_context.session_places) {
        shared_places = std::make_shared<SharedSessionPlaces>(*relay_context.session_places, relay_context.clock,
                                                              relay_context.limits.max_sessions_per_address);
    }
}

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

namespace {

// One place fewer in `counts` for `key`; the table holds open sessions only.
void release_one(std::map<std::string, std::size_t, std::less<>>& counts, const std::string& key) {
    const auto it = counts.find(key);
    if (it == counts.end()) return;
    if (--it->second == 0) counts.erase(it);
}

std::size_t open_in(const std::map<std::string, std::size_t, std::less<>>& counts,
                    const std::string& key) {
    const auto it = counts.find(key);
    return it == counts.end() ? 0 : it->second;
}

}  // namespace

PlaceHeld RelayShared::hold_place(const SessionPlace& place) {
    const std::lock_guard lock(addresses_mutex_);
    // Both tiers are checked before either is counted, so a refusal takes nothing.
    if (open_in(sessions_per_address_, place.address) >= context.limits.max_sessions_per_address) {
        return PlaceHeld::address_full;
    }
    const bool network_tier = !place.network.empty();
    if (network_tier && open_in(sessions_per_network_, place.network) >= place.network_cap) {
        return PlaceHeld::network_full;
    }
    ++sessions_per_address_[place.address];
    if (network_tier) ++sessions_per_network_[place.network];
    return PlaceHeld::held;
}

void RelayShared::release_place(const SessionPlace& place) {
    const std::lock_guard lock(addresses_mutex_);
    release_one(sessions_per_address_, place.address);
    if (!place.network.empty()) release_one(sessions_per_network_, place.network);
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
    if (shared_places) shared_places->stop();
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
