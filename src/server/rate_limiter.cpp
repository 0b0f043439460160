#include "calrt/server/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace calrt::server {

RateLimiter::RateLimiter(double per_minute, double burst, std::size_t max_tracked_keys)
    : per_second_(per_minute / 60.0), burst_(std::max(1.0, burst)), max_keys_(max_tracked_keys) {}

RateLimiter::Decision RateLimiter::take(std::string_view key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(std::string(key));
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_keys_) evict_full_buckets(now);
        it = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
    }
    Bucket& bucket = it->second;
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(burst_, bucket.tokens + std::max(0.0, elapsed) * per_second_);
    bucket.updated = now;
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return {};
    }
    const double wait = per_second_ > 0 ? (1.0 - bucket.tokens) / per_second_ : 3600.0;
    return Decision{false, std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))))};
}

void RateLimiter::evict_full_buckets(Clock::time_point now) {
    // A bucket that has refilled completely carries no information: forgetting it changes nothing.
    std::erase_if(buckets_, [&](const auto& entry) {
        const double elapsed = std::chrono::duration<double>(now - entry.second.updated).count();
        return entry.second.tokens + elapsed * per_second_ >= burst_;
    });
    // Still full of active clients: drop the table rather than grow without bound.
    if (buckets_.size() >= max_keys_) buckets_.clear();
}

}  // namespace calrt::server
