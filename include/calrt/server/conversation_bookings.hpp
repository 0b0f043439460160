#pragma once
// The bookings one conversation set in motion and the live confirmations Calendly's invitee.created
// webhooks bring for them: what a browser relay session and a phone call share. A conversation
// books a meeting or two; one that keeps booking (real meetings in the host's calendar, emails to
// any address) is refused. A confirmation reaches the conversation only for a booking it made
// (booking_confirmation.hpp, matches()), once per booking however often Calendly redelivers.
// Thread-safe: tools run on any thread, deliveries arrive on the conversation's executor.

#include <cstddef>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calrt/core/time_zone.hpp"
#include "calrt/server/booking_confirmation.hpp"
#include "calrt/store/delivery_feed.hpp"
#include "calrt/tools/calendly_tools.hpp"

namespace calrt::server {

class ConversationBookings {
  public:
    // Per conversation: meetings book_meeting may book, and links schedule_call may make.
    static constexpr std::size_t default_max_bookings = 3;
    static constexpr std::size_t default_max_links = 10;

    explicit ConversationBookings(std::size_t max_bookings = default_max_bookings,
                                  std::size_t max_links = default_max_links)
        : max_bookings_(max_bookings), max_links_(max_links) {}

    // A tool is about to book (book_meeting: a start time) or make a link (schedule_call). False,
    // recording nothing, when the conversation has made as many as it may.
    bool expect(const tools::ExpectedBooking& booking);

    // POST /invitees answered for a booking expect() recorded: the confirmations held for it that
    // are now known to be this conversation's, to tell it about (each once).
    std::vector<BookingConfirmation> settle(const tools::ExpectedBooking& booking,
                                            tools::BookingSettlement settlement);

    // A stored webhook delivery: the confirmation to tell the conversation about now, when it is
    // an invitee.created for one of its bookings not confirmed before. One that looks like a
    // booking still in flight is held until settle() says whose it is: Calendly's webhook can
    // overtake POST /invitees' answer, and another person may have booked the same slot (review N4).
    std::optional<BookingConfirmation> delivered(const store::StoredDelivery& delivery,
                                                 TimeZoneCache& time_zones);

    // book_meeting calls that reached Calendly (expect() with a start time that was allowed).
    std::size_t bookings_started() const;

  private:
    struct Expected {
        tools::ExpectedBooking booking;
        // book_meeting's POST /invitees has not answered yet.
        bool in_flight = false;
    };
    struct Held {
        BookingConfirmation booking;
        std::string key;
    };
    enum class Match { none, waiting, matched };
    Match match(const BookingConfirmation& booking) const;  // under mutex_
    bool first_time(const std::string& key);                // under mutex_

    const std::size_t max_bookings_;
    const std::size_t max_links_;
    mutable std::mutex mutex_;
    std::vector<Expected> expected_;
    std::vector<Held> held_;
    std::set<std::string> confirmed_;  // dedup keys: the invitee URI, else the delivery id
    std::size_t bookings_started_ = 0;
    std::size_t links_made_ = 0;
};

}  // namespace calrt::server
