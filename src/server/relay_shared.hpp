#pragma once
// What all browser relay sessions of one relay share (realtime_relay.hpp): the open sessions for
// shutdown, the per-address and per-network session counts, the daily minutes per address, the
// host's name, and the relay's metrics. Internal to server/.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "calrt/core/metrics.hpp"
#include "calrt/server/rate_limiter.hpp"
#include "calrt/server/realtime_relay.hpp"
#include "daily_relay_minutes.hpp"
#include "shared_session_places.hpp"

namespace calrt::server {

class RelaySession;

// Where a session counts for the per-address and per-network caps of open sessions.
struct SessionPlace {
    std::string address;          // an address_bucket(): an IPv4 address or an IPv6 /64
    std::string network{};        // its network_bucket() (/48 or /24); empty: that tier is off
    std::size_t network_cap = 0;  // sessions the network may have open at once
};

enum class PlaceHeld { held, address_full, network_full };

// What all sessions of one relay share.
struct RelayShared : std::enable_shared_from_this<RelayShared> {
    explicit RelayShared(RelayContext& relay_context);

    // The open sessions, so shutdown can end them with a close reason. Thread-safe.
    std::uint64_t add_session(const std::shared_ptr<RelaySession>& session);
    void remove_session(std::uint64_t id);
    // Refuses new sessions from now on and closes the open ones (1001, "server shutting down");
    // a session still opening its upstream session stops waiting for it. Thread-safe.
    void shut_down();

    // Counts a session against its client address (`place.address`, realtime_relay.cpp's client
    // key) and, when `place.network` is set, against that wider network too (review N2). Refuses,
    // counting nothing, when the address has max_sessions_per_address open already or the
    // network `place.network_cap`. Each PlaceHeld::held is matched by one release_place().
    // Thread-safe.
    PlaceHeld hold_place(const SessionPlace& place);
    void release_place(const SessionPlace& place);

    // The host's name as Calendly last gave it, or "" when it never has: a new chat must not wait
    // on Calendly for it (review L6). When there is none, one background GET /users/me at a time
    // is started on `executor`, so that later chats have it; no session waits for it.
    std::string host_name(const boost::asio::any_io_executor& executor);

    RelayContext& context;
    std::atomic<bool> stopping{false};
    RateLimiter connections;
    DailyRelayMinutes daily_minutes;
    std::atomic<std::size_t> active{0};
    Gauge& active_gauge;
    Counter& sessions_total;
    Counter& confirmations_total;
    // The open sessions per address and network across replicas; null: counted here only.
    std::shared_ptr<SharedSessionPlaces> shared_places;

  private:
    static boost::asio::awaitable<void> refresh_host(std::shared_ptr<RelayShared> self);

    std::mutex sessions_mutex_;
    std::uint64_t next_session_id_ = 0;
    std::map<std::uint64_t, std::weak_ptr<RelaySession>> sessions_;
    std::mutex addresses_mutex_;
    // Open sessions only: an entry goes when its count reaches 0.
    std::map<std::string, std::size_t, std::less<>> sessions_per_address_;
    std::map<std::string, std::size_t, std::less<>> sessions_per_network_;
    std::atomic<bool> host_refresh_running_{false};
};

}  // namespace calrt::server
