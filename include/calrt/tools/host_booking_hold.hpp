#pragma once
// Organization mode's per-host daily cap (DAILY_BOOKINGS_PER_HOST) around one booking: the hosts
// of a personal or collective type are taken from before Calendly is asked, and given back when
// nothing was booked; a round robin's hosts cannot be (Calendly picks one), so it is refused only
// when every one of them is at the cap, and the host Calendly assigned is counted afterwards.
// Outside organization mode, or with no per-host cap, it holds nothing.

#include "calrt/calendly/models.hpp"
#include "calrt/calendly/organization_directory.hpp"
#include "calrt/tools/booking_caps.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace calrt::tools {

class HostBookingHold {
  public:
    HostBookingHold() = default;

    // Errors: BookingCaps' "host_booking_limit_reached"; nothing is held then.
    static boost::asio::awaitable<Result<HostBookingHold>> take(BookingCaps* caps,
                                                                const calendly::OrganizationDirectory* directory,
                                                                const calendly::EventType& type);
    // Nothing was booked.
    boost::asio::awaitable<void> give_back();
    // Calendly booked it, with these hosts (the scheduled event's event_memberships' user URIs).
    boost::asio::awaitable<void> booked(const std::vector<std::string>& assigned_hosts);
    // Whether booked() needs the assigned hosts (a capped round robin): one more Calendly read.
    bool needs_assigned_hosts() const noexcept { return caps_ != nullptr && round_robin_; }

  private:
    BookingCaps* caps_ = nullptr;
    std::vector<std::string> taken_;  // hosts taken from beforehand
    bool round_robin_ = false;
};

}  // namespace calrt::tools
