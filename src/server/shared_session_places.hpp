#pragma once
// The relay's open sessions per client address and per network, counted across every replica on
// the store's database (issue 22): each open session holds a lease on one of the address's
// REALTIME_MAX_SESSIONS_PER_ADDRESS places (and of its network's), which its replica renews while
// it runs. A replica that dies stops renewing, and its places come free when their leases run
// out (kLeaseLength), so a crash never locks an address out for longer than that. The per-replica
// counts (relay_shared.hpp) are checked first and still hold by themselves when the store cannot
// answer. Internal to server/.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "calrt/core/time.hpp"

namespace calrt::store {
class WebhookStore;
}

namespace calrt::server {

struct SessionPlace;
enum class PlaceHeld;

// The leases one session holds; given back by SharedSessionPlaces::release().
struct SharedPlaceLeases {
    struct Lease {
        std::string key;
        std::int64_t slot = 0;
    };
    std::string holder;
    std::vector<Lease> leases;
};

class SharedSessionPlaces : public std::enable_shared_from_this<SharedSessionPlaces> {
  public:
    // How long a lease runs unless renewed, and how often this replica renews its leases.
    static constexpr std::chrono::seconds kLeaseLength{30};
    static constexpr std::chrono::seconds kRenewEvery{10};

    // `store` must outlive every coroutine started here (the service resets it after its
    // io_context has run dry).
    SharedSessionPlaces(store::WebhookStore& store, const Clock& clock, std::size_t per_address);

    // Takes a place for `place.address` (and `place.network`, when set) across replicas: held, or
    // which one is full, taking nothing then. When the store cannot answer, held (the per-replica
    // counts stand), with no leases. Starts the renewal on `executor` with the first lease.
    boost::asio::awaitable<PlaceHeld> hold(const SessionPlace& place, SharedPlaceLeases& leases);
    // Gives the leases back, in the background on `executor`.
    void release(SharedPlaceLeases leases, const boost::asio::any_io_executor& executor);
    // Stops renewing (shutdown): the leases run out by themselves if not given back.
    void stop();

  private:
    static boost::asio::awaitable<void> renew(std::weak_ptr<SharedSessionPlaces> weak,
                                              std::shared_ptr<boost::asio::steady_timer> timer);
    static boost::asio::awaitable<void> give_back(store::WebhookStore& store, SharedPlaceLeases leases);
    void start_renewing(const boost::asio::any_io_executor& executor);

    store::WebhookStore& store_;
    const Clock& clock_;
    const std::size_t per_address_;
    const std::string replica_;  // random, per process
    std::mutex timer_mutex_;
    std::shared_ptr<boost::asio::steady_timer> timer_;  // the renewal's wait; null until it starts
    std::atomic<bool> stopped_{false};
    std::atomic<std::uint64_t> next_holder_{0};
};

}  // namespace calrt::server
