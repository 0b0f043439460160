#pragma once
// The daily caps' limits from the service configuration (DAILY_BOOKINGS, DAILY_LINKS,
// DAILY_BOOKINGS_PER_ADDRESS, DAILY_BOOKINGS_PER_EMAIL, DAILY_BOOKINGS_PER_HOST).

#include "calrt/core/config.hpp"
#include "calrt/tools/booking_caps.hpp"

namespace calrt::app {

inline tools::BookingCapLimits booking_cap_limits(const RateLimitConfig& config) {
    return tools::BookingCapLimits{config.bookings_per_day, config.links_per_day,
                                   config.bookings_per_address_per_day, config.bookings_per_email_per_day,
                                   config.bookings_per_host_per_day};
}

}  // namespace calrt::app
