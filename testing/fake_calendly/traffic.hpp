#pragma once
// Requests the fake has received, per path and in total, and the rate-limit window behind the
// X-RateLimit-Limit/Remaining/Reset headers Calendly sends with every response. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "testing/fake_calendly/calendly_time.hpp"

namespace calrt::testing::fake {

struct RateLimitState {
    std::uint32_t limit = 0;
    std::uint32_t remaining = 0;
    std::int64_t reset_seconds = 0;  // until the window restarts
};

class Traffic {
  public:
    explicit Traffic(std::uint32_t limit_per_minute) : limit_(limit_per_minute) {}

    // Counts one request to `path` and charges it to the current one-minute window.
    RateLimitState record(std::string_view path, TimePoint now);

    std::size_t count(std::string_view path) const;
    std::size_t total() const;
    void reset();

  private:
    const std::uint32_t limit_;
    mutable std::mutex mutex_;
    std::map<std::string, std::size_t, std::less<>> per_path_;
    std::size_t total_ = 0;
    TimePoint window_start_{};
    std::uint32_t window_used_ = 0;
};

}  // namespace calrt::testing::fake
