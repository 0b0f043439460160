#include "calrt/server/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace calrt::server {

RateLimiter::RateLimiter(double per_minute, double burst, std::size_t max_tracked_keys)
    : per_second_(per_minute / 60.0), burst_(std::max(1.0, burst)), max_keys_(max_tracked_keys) {}

RateLimiter::Decision RateLimiter::take(std::string_view key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_keys_ && !recency_.empty()) {
            buckets_.erase(recency_.back().key);
            recency_.pop_back();
        }
        recency_.push_front(Bucket{std::string(key), burst_, now});
        it = buckets_.emplace(recency_.front().key, recency_.begin()).first;
    } else if (it->second != recency_.begin()) {
        recency_.splice(recency_.begin(), recency_, it->second);  // iterators stay valid
    }
    Bucket& bucket = *it->second;
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

}  // namespace calrt::server
