#pragma once
// Bookings per client address and per invitee email per UTC day (DAILY_BOOKINGS_PER_ADDRESS,
// DAILY_BOOKINGS_PER_EMAIL), shared by the REST `book` action and book_meeting. The service-wide
// DailyBudget keeps the host under Calendly's cap for POST /invitees; these keep one address or one
// email from using that day's budget up for everyone (issue 19: one address could book 100 junk
// meetings in minutes and lock real visitors out until midnight UTC). Thread-safe.

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"

namespace calrt {

class BookingQuotas {
  public:
    // 0 for either: not limited that way.
    BookingQuotas(std::size_t per_address_per_day, std::size_t per_email_per_day,
                  const Clock& clock)
        : per_address_(per_address_per_day), per_email_(per_email_per_day), clock_(clock) {}

    // Takes one booking for `address` (a client address bucket; empty: not counted) and `email`
    // (compared without regard to ASCII case). Errors: rate_limited / "booking_quota_exceeded" with
    // retry_after until the next UTC midnight, taking nothing.
    Result<void> take(std::string_view address, std::string_view email);
    // Gives back a booking taken today that did not happen (Calendly refused it).
    void give_back(std::string_view address, std::string_view email);

    std::size_t per_address() const noexcept { return per_address_; }
    std::size_t per_email() const noexcept { return per_email_; }

  private:
    void roll_over(std::int64_t today);

    const std::size_t per_address_;
    const std::size_t per_email_;
    const Clock& clock_;
    std::mutex mutex_;
    std::int64_t day_ = -1;  // days since the epoch, UTC
    // Only keys with bookings today: at most the day's bookings in flight or made, so the maps stay
    // as small as the service-wide budget.
    std::map<std::string, std::size_t, std::less<>> by_address_;
    std::map<std::string, std::size_t, std::less<>> by_email_;
};

}  // namespace calrt
