#pragma once
// Calendly's rate limits are the host's, whichever replica of the service asks: when one replica
// learns that a quota is used up (a 429, or X-RateLimit-Remaining at the reserve), the others must
// hold their requests too, or they spend what is left of the window and collect 429s of their own
// (issue 22). The client asks this before each request and tells it each pause it learns; an
// implementation keeps the pauses where every replica sees them (tools/shared_calendly_pauses.hpp:
// the webhook store's database).

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace calrt::calendly {

class SharedRateLimitPauses {
  public:
    using TimePoint = std::chrono::system_clock::time_point;

    virtual ~SharedRateLimitPauses() = default;

    // Until when every replica's requests against `quota` ("reads" or "bookings") wait; nullopt
    // when they need not, including when the shared state cannot be read (each replica then
    // keeps its own pauses, as without sharing).
    virtual boost::asio::awaitable<std::optional<TimePoint>> paused_until(std::string_view quota) = 0;
    // This replica learnt that `quota` is used up until `until`.
    virtual boost::asio::awaitable<void> pause(std::string_view quota, TimePoint until) = 0;
};

}  // namespace calrt::calendly
