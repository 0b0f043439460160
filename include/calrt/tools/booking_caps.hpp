#pragma once
// The day's caps on what makes Calendly email someone: bookings and single-use scheduling links for
// the whole service (DAILY_BOOKINGS, DAILY_LINKS), and bookings per client address and per invitee
// email (DAILY_BOOKINGS_PER_ADDRESS, DAILY_BOOKINGS_PER_EMAIL). The REST API, the assistant's
// tools and phone calls take from the same caps.
//
// Over the webhook store (the service's own), the counts live in its shared budgets: every replica
// on one PostgreSQL database takes from one count, and on SQLite a restart keeps the day's counts
// (issue 22). Without a store (tests, `chat`), in this process's memory. When the store cannot
// answer (the database is down), this process's own counts stand in, so a replica still enforces
// the caps by itself rather than either refusing every booking or letting every one through; the
// store's count misses those takes.
//
// Windows are UTC days. The store keys an address or an email only by its SHA-256: the table never
// holds either in plain text.

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"

namespace calrt::store {
class WebhookStore;
}

namespace calrt::tools {

struct BookingCapLimits {
    std::size_t bookings_per_day = 0;              // for the whole service; 0: none
    std::size_t links_per_day = 0;                 // for the whole service; 0: none
    std::size_t bookings_per_address_per_day = 0;  // 0: not capped per address
    std::size_t bookings_per_email_per_day = 0;    // 0: not capped per email
    // Organization mode: bookings per host (a member of the organization), counted in every
    // booking the host is in (DAILY_BOOKINGS_PER_HOST); 0: not capped per host.
    std::size_t bookings_per_host_per_day = 0;
};

class BookingCaps {
  public:
    // In this process only.
    BookingCaps(BookingCapLimits limits, const Clock& clock);
    // Shared through `shared` (which must outlive this), falling back to this process's counts
    // when it cannot answer.
    BookingCaps(BookingCapLimits limits, const Clock& clock, store::WebhookStore& shared);
    BookingCaps(const BookingCaps&) = delete;
    BookingCaps& operator=(const BookingCaps&) = delete;

    // One booking for `address` (a client address bucket; empty: not counted per address) and
    // `email` (compared without regard to ASCII case; empty: not counted per email), all or nothing.
    // Errors (rate_limited, retry_after until the next UTC midnight, nothing taken):
    // "booking_quota_exceeded" for the address or the email, "daily_booking_limit_reached" for the
    // service.
    boost::asio::awaitable<Result<void>> take_booking(std::string_view address, std::string_view email);
    // Gives back a booking taken today that did not happen (Calendly refused it).
    boost::asio::awaitable<void> give_back_booking(std::string_view address, std::string_view email);

    // Organization mode, per host (user URIs): one booking for each of `hosts` (a personal type's
    // owner, every host of a collective), all or nothing. Error: rate_limited
    // "host_booking_limit_reached" (retry_after as above), nothing taken.
    boost::asio::awaitable<Result<void>> take_host_bookings(const std::vector<std::string>& hosts);
    boost::asio::awaitable<void> give_back_host_bookings(const std::vector<std::string>& hosts);
    // A round robin books whichever host Calendly picks, so none can be taken from beforehand:
    // whether any of `hosts` is under the cap (else the booking is refused as above), and once
    // Calendly assigned one, counting it without refusing.
    boost::asio::awaitable<Result<void>> any_host_has_room(const std::vector<std::string>& hosts);
    boost::asio::awaitable<void> count_host_booking(std::string_view host);
    // DAILY_BOOKINGS_PER_HOST is set.
    bool caps_hosts() const noexcept { return limits_.bookings_per_host_per_day > 0; }

    // One single-use link. Errors: rate_limited "daily_link_limit_reached" (retry_after as above).
    boost::asio::awaitable<Result<void>> take_link();
    boost::asio::awaitable<void> give_back_link();

  private:
    // One cap in one window: the store's count, or this process's when there is no store or it
    // failed. True when taken; `cap` nullopt: not capped.
    boost::asio::awaitable<bool> take_one(std::string key, std::optional<std::size_t> cap, std::int64_t day);
    boost::asio::awaitable<void> give_back_one(std::string key, std::optional<std::size_t> cap, std::int64_t day);

    const BookingCapLimits limits_;
    const Clock& clock_;
    store::WebhookStore* const shared_ = nullptr;
    // This process's counts, by the store's keys: all of them without a store, the stand-in when
    // the store fails. Only keys used today: as small as the day's bookings.
    std::mutex local_mutex_;
    std::int64_t local_day_ = -1;  // days since the epoch, UTC
    std::map<std::string, std::size_t, std::less<>> local_used_;
};

}  // namespace calrt::tools
