#include "admission.hpp"

namespace calrt::server {

std::optional<AddressConnections::Slot> AddressConnections::take(std::string key) {
    std::lock_guard lock(mutex_);
    auto& open = open_[key];
    if (open >= limit_) {
        if (open == 0) open_.erase(key);
        return std::nullopt;
    }
    ++open;
    return Slot(this, std::move(key));
}

std::size_t AddressConnections::tracked_addresses() const {
    std::lock_guard lock(mutex_);
    return open_.size();
}

void AddressConnections::release(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto it = open_.find(key);
    if (it == open_.end()) return;
    if (--it->second == 0) open_.erase(it);  // the table holds only addresses with connections
}

std::optional<BodyBudget::Reservation> BodyBudget::reserve(std::size_t bytes) {
    std::size_t used = in_use_.load();
    do {
        if (bytes > total_ || used > total_ - bytes) return std::nullopt;
    } while (!in_use_.compare_exchange_weak(used, used + bytes));
    return Reservation(this, bytes);
}

}  // namespace calrt::server
