#pragma once
// Requests the fake has received, per path and in total, how many it was handling at once, and the
// rate-limit window behind the X-RateLimit-Limit/Remaining/Reset headers Calendly sends with every
// response. Thread-safe.

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
    bool exceeded = false;           // this request is beyond the window's limit
};

class Traffic {
  public:
    Traffic(std::uint32_t limit_per_window, std::chrono::milliseconds window)
        : limit_(limit_per_window), window_(window) {}

    // Counts one request to `path` and charges it to the current window.
    RateLimitState record(std::string_view path, TimePoint now);

    std::size_t count(std::string_view path) const;
    std::size_t total() const;
    // How many requests were being handled at once, at most, since the last reset().
    std::size_t max_concurrent() const;
    void reset();

    // Brackets the handling of one request (RAII: see InFlight).
    void begin_request();
    void end_request();

  private:
    const std::uint32_t limit_;
    const std::chrono::milliseconds window_;
    std::size_t in_flight_ = 0;
    std::size_t max_in_flight_ = 0;
    mutable std::mutex mutex_;
    std::map<std::string, std::size_t, std::less<>> per_path_;
    std::size_t total_ = 0;
    TimePoint window_start_{};
    std::uint32_t window_used_ = 0;
};

// Counts one request as being handled for as long as it lives.
class InFlight {
  public:
    explicit InFlight(Traffic& traffic) : traffic_(traffic) { traffic_.begin_request(); }
    ~InFlight() { traffic_.end_request(); }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

  private:
    Traffic& traffic_;
};

}  // namespace calrt::testing::fake
