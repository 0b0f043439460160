#include "shared_session_places.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <utility>

#include "calrt/core/logging.hpp"
#include "calrt/core/random.hpp"
#include "calrt/store/webhook_store.hpp"
#include "relay_shared.hpp"

namespace calrt::server {
namespace asio = boost::asio;

namespace {

// The store keys an address or a network as the relay's buckets name them ("198.51.100.7",
// "2001:db8:1:2::/64"): what per-address limits are about, kept only while a session is open.
std::string address_key(const std::string& address) { return "relay:address:" + address; }
std::string network_key(const std::string& network) { return "relay:network:" + network; }

}  // namespace

SharedSessionPlaces::SharedSessionPlaces(store::WebhookStore& store, const Clock& clock, std::size_t per_address)
    : store_(store), clock_(clock), per_address_(per_address), replica_(random_hex(12)) {}

asio::awaitable<PlaceHeld> SharedSessionPlaces::hold(const SessionPlace& place, SharedPlaceLeases& leases) {
    const auto executor = co_await asio::this_coro::executor;
    leases.holder = replica_ + ":" + std::to_string(next_holder_.fetch_add(1));
    struct Wanted {
        std::string key;
        std::size_t places;
        PlaceHeld when_full;
    };
    std::vector<Wanted> wanted{{address_key(place.address), per_address_, PlaceHeld::address_full}};
    if (!place.network.empty()) {
        wanted.push_back({network_key(place.network), place.network_cap, PlaceHeld::network_full});
    }
    PlaceHeld outcome = PlaceHeld::held;
    for (auto& want : wanted) {
        const Timestamp now = clock_.now();
        store::LeaseTake take;
        take.key = want.key;
        take.holder = leases.holder;
        take.replica = replica_;
        take.places = static_cast<std::int64_t>(want.places);
        take.now = now;
        take.expires_at = now + kLeaseLength;
        const auto taken = co_await store_.take_lease(std::move(take));
        if (!taken) {
            log::warn("the store could not count a relay session across replicas; this replica counts it alone",
                      {{"error", taken.error().message}});
            continue;
        }
        if (!*taken) {
            outcome = want.when_full;
            break;
        }
        leases.leases.push_back({std::move(want.key), **taken});
    }
    if (outcome != PlaceHeld::held) {
        release(std::exchange(leases, {}), executor);
    } else if (!leases.leases.empty()) {
        start_renewing(executor);
    }
    co_return outcome;
}

void SharedSessionPlaces::release(SharedPlaceLeases leases, const asio::any_io_executor& executor) {
    if (leases.leases.empty()) return;
    asio::co_spawn(executor, give_back(store_, std::move(leases)), asio::detached);
}

asio::awaitable<void> SharedSessionPlaces::give_back(store::WebhookStore& store, SharedPlaceLeases leases) {
    for (auto& lease : leases.leases) {
        const auto released = co_await store.release_lease(std::move(lease.key), lease.slot, leases.holder);
        // Not given back: the lease runs out by itself within kLeaseLength.
        if (!released) log::warn("a relay session's place was not given back", {{"error", released.error().message}});
    }
}

void SharedSessionPlaces::start_renewing(const asio::any_io_executor& executor) {
    const std::lock_guard lock(timer_mutex_);
    if (timer_ || stopped_) return;
    timer_ = std::make_shared<asio::steady_timer>(executor);
    asio::co_spawn(executor, renew(weak_from_this(), timer_), asio::detached);
}

void SharedSessionPlaces::stop() {
    stopped_ = true;
    const std::lock_guard lock(timer_mutex_);
    if (!timer_) return;
    asio::post(timer_->get_executor(), [timer = timer_] { timer->cancel(); });
}

asio::awaitable<void> SharedSessionPlaces::renew(std::weak_ptr<SharedSessionPlaces> weak,
                                                 std::shared_ptr<asio::steady_timer> timer) {
    for (;;) {
        timer->expires_after(kRenewEvery);
        const auto [waited] = co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
        const auto self = weak.lock();
        if (waited || !self || self->stopped_) co_return;
        const auto renewed = co_await self->store_.renew_leases(self->replica_, self->clock_.now() + kLeaseLength);
        if (!renewed) log::warn("the relay's session places were not renewed", {{"error", renewed.error().message}});
    }
}

}  // namespace calrt::server
