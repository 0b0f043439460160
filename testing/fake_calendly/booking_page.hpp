#pragma once
// The HTML page a booking URL opens: the event type, the next open times and a form that books one
// (name and email prefilled from the query, as Calendly's `name`, `first_name`, `last_name`,
// `email` and `a1` prefill parameters do; `utm_content` rides along in a hidden field into the
// invitee's tracking). Plain functions from values to HTML, so they are
// testable alone.

#include <optional>
#include <string>
#include <vector>

#include "testing/fake_calendly/records.hpp"

namespace calrt::testing::fake {

struct BookingPrefill {
    std::string name;
    std::string email;
    std::string purpose;  // a1: the answer to the first question
    std::string utm_content;  // kept with the booking as tracking.utm_content, as Calendly does
};

struct BookingPageView {
    std::string form_action;  // the path the form posts to
    std::string host_name;
    EventTypeRecord event_type;
    std::vector<TimePoint> open_slots;
    std::optional<TimePoint> selected;  // preselected slot, when the URL named one
    BookingPrefill prefill;
    std::string error;  // shown above the form after a failed attempt
};

std::string render_booking_page(const BookingPageView& view);
std::string render_booking_confirmation(const std::string& host_name,
                                        const EventTypeRecord& event_type,
                                        const InviteeRecord& invitee, TimePoint start);
std::string render_message_page(const std::string& title, const std::string& message);

// "Monday, 2024-05-06 14:00 UTC"
std::string describe_slot(TimePoint start);

}  // namespace calrt::testing::fake
