#pragma once
// Per-client token buckets for the public POST actions: each key (the remote address) may spend
// `burst` requests at once and regains `per_minute` requests a minute. Thread-safe; the table of
// buckets is bounded so that many distinct addresses cannot grow memory without limit.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace calrt::server {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    struct Decision {
        bool allowed = true;
        std::chrono::seconds retry_after{0};  // when refused: until one token is back (at least 1 s)
    };

    RateLimiter(double per_minute, double burst, std::size_t max_tracked_keys = 100'000);

    Decision take(std::string_view key, Clock::time_point now = Clock::now());

private:
    struct Bucket {
        double tokens;
        Clock::time_point updated;
    };
    void evict_full_buckets(Clock::time_point now);

    const double per_second_;
    const double burst_;
    const std::size_t max_keys_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace calrt::server
