#include "rate_limit_budget.hpp"

#include <algorithm>

namespace calrt::calendly {

std::optional<std::chrono::steady_clock::time_point> RateLimitBudget::record(
    unsigned status, const RateLimitHeaders& headers, std::chrono::steady_clock::time_point received_at) {
    std::optional<std::chrono::seconds> wait;
    if (status == 429) {
        wait = headers.wait();
    } else if (const auto remaining = headers.remaining_requests();
               reserve_ && remaining && *remaining <= *reserve_) {
        wait = parse_header_seconds(headers.reset);
    }
    if (!wait || *wait <= std::chrono::seconds(0)) return std::nullopt;
    const auto until = received_at + *wait;
    std::lock_guard lock(mutex_);
    if (until <= paused_until_) return std::nullopt;
    paused_until_ = until;
    return until;
}

void RateLimitBudget::pause_until(std::chrono::steady_clock::time_point until) {
    std::lock_guard lock(mutex_);
    paused_until_ = std::max(paused_until_, until);
}

std::optional<std::chrono::steady_clock::time_point> RateLimitBudget::paused_until(
    std::chrono::steady_clock::time_point now) const {
    std::lock_guard lock(mutex_);
    if (paused_until_ <= now) return std::nullopt;
    return paused_until_;
}

}  // namespace calrt::calendly
