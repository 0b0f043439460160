#include "testing/fake_calendly/traffic.hpp"

#include <algorithm>

namespace calrt::testing::fake {

RateLimitState Traffic::record(std::string_view path, TimePoint now) {
    std::lock_guard lock(mutex_);
    auto it = per_path_.find(path);
    if (it == per_path_.end()) it = per_path_.emplace(std::string(path), 0).first;
    ++it->second;
    ++total_;
    if (now - window_start_ >= window_ || now < window_start_) {
        window_start_ = now;
        window_used_ = 0;
    }
    ++window_used_;
    const auto reset = std::chrono::ceil<std::chrono::seconds>(window_start_ + window_ - now);
    return {limit_, limit_ > window_used_ ? limit_ - window_used_ : 0,
            std::max<std::int64_t>(reset.count(), 1), window_used_ > limit_};
}

void Traffic::begin_request() {
    std::lock_guard lock(mutex_);
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
}

void Traffic::end_request() {
    std::lock_guard lock(mutex_);
    --in_flight_;
}

std::size_t Traffic::max_concurrent() const {
    std::lock_guard lock(mutex_);
    return max_in_flight_;
}

std::size_t Traffic::count(std::string_view path) const {
    std::lock_guard lock(mutex_);
    const auto it = per_path_.find(path);
    return it == per_path_.end() ? 0 : it->second;
}

std::size_t Traffic::total() const {
    std::lock_guard lock(mutex_);
    return total_;
}

void Traffic::reset() {
    std::lock_guard lock(mutex_);
    per_path_.clear();
    total_ = 0;
    max_in_flight_ = in_flight_;
}

}  // namespace calrt::testing::fake
