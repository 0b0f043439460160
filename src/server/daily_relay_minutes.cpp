#include "daily_relay_minutes.hpp"

#include <algorithm>

#include "calrt/core/utc_day.hpp"

namespace calrt::server {

using std::chrono::milliseconds;

DailyRelayMinutes::DailyRelayMinutes(std::chrono::minutes per_day, const Clock& clock,
                                     std::size_t max_addresses)
    : per_day_(per_day), clock_(clock), max_addresses_(std::max<std::size_t>(1, max_addresses)) {}

std::int64_t DailyRelayMinutes::roll_over(Timestamp now) {
    const auto today = utc_day(now);
    if (today != day_) {
        day_ = today;
        used_today_.clear();
    }
    return today;
}

std::optional<std::chrono::seconds> DailyRelayMinutes::refusal(const std::string& address) {
    if (!enabled()) return std::nullopt;
    const Timestamp now = clock_.now();
    const std::lock_guard lock(mutex_);
    roll_over(now);
    const auto it = used_today_.find(address);
    if (it == used_today_.end() || it->second < per_day_) return std::nullopt;
    return until_next_utc_midnight(now);
}

bool DailyRelayMinutes::charge(const std::string& address, Timestamp& since) {
    const Timestamp now = clock_.now();
    // Only today's part: a session running across midnight starts the new day with what it uses
    // after it.
    const Timestamp from = std::max(since, utc_midnight_before(now));
    since = std::max(since, now);
    if (!enabled()) return false;
    const milliseconds spent = std::max(milliseconds(0), now - from);
    const std::lock_guard lock(mutex_);
    roll_over(now);
    auto it = used_today_.find(address);
    if (it == used_today_.end()) {
        if (used_today_.size() >= max_addresses_) {
            // Full (many addresses each used a little): forget the one that used least, so that
            // an address that has spent real time cannot be pushed out to start afresh.
            const auto least = std::min_element(used_today_.begin(), used_today_.end(),
                                                [](const auto& a, const auto& b) { return a.second < b.second; });
            used_today_.erase(least);
        }
        it = used_today_.emplace(address, milliseconds(0)).first;
    }
    it->second += spent;
    return it->second >= per_day_;
}

std::chrono::milliseconds DailyRelayMinutes::used(const std::string& address) {
    const std::lock_guard lock(mutex_);
    roll_over(clock_.now());
    const auto it = used_today_.find(address);
    return it == used_today_.end() ? milliseconds(0) : it->second;
}

}  // namespace calrt::server
