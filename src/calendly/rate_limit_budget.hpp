#pragma once
// What Calendly's latest responses said about the host's request budget, so that new calls wait
// for the window to reset instead of going out only to collect a 429 (review M4). Every response
// carries X-RateLimit-Remaining and X-RateLimit-Reset (seconds until the window resets); a 429
// says when to come back (Retry-After or X-RateLimit-Reset). Thread-safe.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

#include "calrt/calendly/rate_limit.hpp"

namespace calrt::calendly {

class RateLimitBudget {
  public:
    // New calls pause while Remaining is at or below `reserve` (0: only when it is used up), and
    // after a 429. Without a reserve only a 429 pauses them: for a quota whose X-RateLimit-*
    // headers may describe another one (POST /invitees' own limits, see calendly_transport.hpp).
    explicit RateLimitBudget(std::optional<std::int64_t> reserve = 0) : reserve_(reserve) {}

    // Notes one response received at `received_at`. When it pauses new calls later than they
    // were, the new end of the pause.
    std::optional<std::chrono::steady_clock::time_point> record(unsigned status, const RateLimitHeaders& headers,
                                                                std::chrono::steady_clock::time_point received_at);
    // A pause learnt elsewhere (another replica): new calls wait until `until`, if that is later.
    void pause_until(std::chrono::steady_clock::time_point until);

    // When new calls may go out again, if that is after `now`.
    std::optional<std::chrono::steady_clock::time_point> paused_until(
        std::chrono::steady_clock::time_point now) const;

  private:
    const std::optional<std::int64_t> reserve_;
    mutable std::mutex mutex_;
    // Only ever moved later: responses arrive out of order, and one that reports budget left may
    // have been answered before another that reported it used up.
    std::chrono::steady_clock::time_point paused_until_{};
};

}  // namespace calrt::calendly
