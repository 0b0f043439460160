#include "admission.hpp"

#include "calrt/server/client_address.hpp"

#include <algorithm>

namespace calrt::server {

namespace {

std::size_t count_of(const std::unordered_map<std::string, std::size_t>& table, std::string_view key) {
    const auto it = table.find(std::string(key));
    return it == table.end() ? 0 : it->second;
}

// Tables hold only keys with something counted, so they shrink back as clients leave.
void decrement(std::unordered_map<std::string, std::size_t>& table, const std::string& key, std::size_t by) {
    const auto it = table.find(key);
    if (it == table.end()) return;
    it->second -= std::min(by, it->second);
    if (it->second == 0) table.erase(it);
}

}  // namespace

std::size_t AddressConnections::network_cap(std::string_view network_key) const {
    if (network_key.ends_with("/48")) return caps_.per_ipv6_48;
    if (network_key.ends_with("/24")) return caps_.per_ipv4_24;
    return 0;  // not an IP address: no wider network to count it in
}

std::variant<AddressConnections::Slot, AddressConnections::Refusal> AddressConnections::take(std::string_view address) {
    std::string address_key = address_bucket(address);
    std::string network_key = network_bucket(address);
    const std::size_t network_limit = network_cap(network_key);
    if (network_limit == 0) network_key.clear();

    std::lock_guard lock(mutex_);
    if (caps_.per_address > 0 && count_of(by_address_, address_key) >= caps_.per_address) return Refusal::address;
    if (!network_key.empty() && count_of(by_network_, network_key) >= network_limit) return Refusal::network;
    ++by_address_[address_key];
    if (!network_key.empty()) ++by_network_[network_key];
    return Slot(this, std::move(address_key), std::move(network_key));
}

std::size_t AddressConnections::held_by(std::string_view key) const {
    std::lock_guard lock(mutex_);
    return count_of(by_address_, key) + count_of(by_network_, key);
}

std::size_t AddressConnections::tracked_keys() const {
    std::lock_guard lock(mutex_);
    return by_address_.size() + by_network_.size();
}

void AddressConnections::release(const std::string& address_key, const std::string& network_key) {
    std::lock_guard lock(mutex_);
    decrement(by_address_, address_key, 1);
    if (!network_key.empty()) decrement(by_network_, network_key, 1);
}

BodyBudget::Shortfall BodyBudget::Reservation::grow_to(std::size_t bytes) {
    if (!owner_ || bytes <= bytes_) return Shortfall::none;
    const Shortfall shortfall = owner_->take(key_, bytes - bytes_);
    if (shortfall == Shortfall::none) bytes_ = bytes;
    return shortfall;
}

BodyBudget::Shortfall BodyBudget::take(const std::string& key, std::size_t more) {
    std::lock_guard lock(mutex_);
    // Compared as "more than what is left" so that no sum can overflow. The address's own share
    // first: an address past it is told so (429) even when the whole budget is full too.
    const std::size_t held = count_of(by_address_, key);
    if (more > per_address_ - std::min(held, per_address_)) return Shortfall::address;
    if (more > total_ - in_use_) return Shortfall::server;
    in_use_ += more;
    by_address_[key] = held + more;
    return Shortfall::none;
}

void BodyBudget::give_back(const std::string& key, std::size_t bytes) {
    if (bytes == 0) return;
    std::lock_guard lock(mutex_);
    in_use_ -= std::min(bytes, in_use_);
    decrement(by_address_, key, bytes);
}

std::size_t BodyBudget::in_use() const {
    std::lock_guard lock(mutex_);
    return in_use_;
}

std::size_t BodyBudget::in_use_by(std::string_view address_key) const {
    std::lock_guard lock(mutex_);
    return count_of(by_address_, address_key);
}

std::size_t BodyBudget::tracked_addresses() const {
    std::lock_guard lock(mutex_);
    return by_address_.size();
}

std::optional<RefusalsInFlight::Ticket> RefusalsInFlight::try_enter(std::shared_ptr<const void> keep_alive) {
    std::size_t count = count_.load();
    do {
        if (count >= limit_) return std::nullopt;
    } while (!count_.compare_exchange_weak(count, count + 1));
    return Ticket(this, std::move(keep_alive));
}

}  // namespace calrt::server
