#include "calrt/server/conversation_bookings.hpp"

#include <algorithm>

namespace calrt::server {

bool ConversationBookings::expect(const tools::ExpectedBooking& booking) {
    const std::lock_guard lock(mutex_);
    const bool direct = booking.start_time.has_value();
    auto& made = direct ? bookings_started_ : links_made_;
    if (made >= (direct ? max_bookings_ : max_links_)) return false;
    ++made;
    // A direct booking is in flight until POST /invitees answers; a link's token identifies it.
    expected_.push_back(Expected{booking, direct && booking.tracking.empty()});
    return true;
}

std::vector<BookingConfirmation> ConversationBookings::settle(const tools::ExpectedBooking& booking,
                                                              tools::BookingSettlement settlement) {
    const std::lock_guard lock(mutex_);
    std::vector<BookingConfirmation> due;
    const auto found = std::find_if(expected_.begin(), expected_.end(), [&](const Expected& e) {
        return e.in_flight && e.booking.email == booking.email &&
               e.booking.event_type_uri == booking.event_type_uri && e.booking.start_time == booking.start_time;
    });
    if (found == expected_.end()) return due;
    if (settlement == tools::BookingSettlement::refused) {
        expected_.erase(found);  // nothing was booked: nothing to confirm
    } else {
        found->booking.invitee_uri = booking.invitee_uri;  // empty when uncertain
        found->in_flight = false;
    }
    auto held = std::move(held_);
    held_.clear();
    for (auto& entry : held) {
        switch (match(entry.booking)) {
            case Match::matched:
                if (first_time(entry.key)) due.push_back(std::move(entry.booking));
                break;
            case Match::waiting:
                held_.push_back(std::move(entry));
                break;
            case Match::none:
                break;  // someone else's booking of the same slot: this conversation never hears of it
        }
    }
    return due;
}

std::optional<BookingConfirmation> ConversationBookings::delivered(const store::StoredDelivery& delivery,
                                                                   TimeZoneCache& time_zones) {
    auto booking = booking_confirmation(delivery.delivery.raw_body, time_zones);
    if (!booking) return std::nullopt;
    // A redelivered webhook (or both a schedule_call and a book_meeting) must not confirm twice.
    std::string key = booking->invitee_uri.empty() ? std::to_string(delivery.id) : booking->invitee_uri;
    const std::lock_guard lock(mutex_);
    switch (match(*booking)) {
        case Match::matched:
            if (first_time(key)) return booking;
            return std::nullopt;
        case Match::waiting:
            held_.push_back(Held{std::move(*booking), std::move(key)});
            return std::nullopt;
        case Match::none:
            return std::nullopt;
    }
    return std::nullopt;
}

std::size_t ConversationBookings::bookings_started() const {
    const std::lock_guard lock(mutex_);
    return bookings_started_;
}

ConversationBookings::Match ConversationBookings::match(const BookingConfirmation& booking) const {
    bool waiting = false;
    for (const auto& e : expected_) {
        if (!matches(booking, e.booking)) continue;
        if (!e.in_flight) return Match::matched;
        waiting = true;
    }
    return waiting ? Match::waiting : Match::none;
}

bool ConversationBookings::first_time(const std::string& key) { return confirmed_.insert(key).second; }

}  // namespace calrt::server
