#pragma once
// Per-client token buckets: each key (address_bucket() of the client address) may spend `burst`
// requests at once and regains `per_minute` requests a minute. Thread-safe. The table of buckets is
// bounded so that many distinct addresses cannot grow memory without limit: past the bound the
// least recently used bucket is forgotten (never the whole table, which would reset every
// client's limit at once).

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <list>
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
        std::string key;
        double tokens;
        Clock::time_point updated;
    };
    using Recency = std::list<Bucket>;  // most recently used first

    const double per_second_;
    const double burst_;
    const std::size_t max_keys_;
    std::mutex mutex_;
    Recency recency_;
    std::unordered_map<std::string_view, Recency::iterator> buckets_;  // keys view into recency_
};

}  // namespace calrt::server
