#pragma once
// A personalized booking URL: a Calendly booking page (a scheduling link's booking_url, or the
// configured CALENDLY_FALLBACK_URL) with the invitee's details prefilled by query parameters.
// Calendly's booking pages read `name`, `email` and `a1`..`a10` (answers to the event type's
// custom questions, in order) from the query (help.calendly.com, "How to pre-fill invitee
// information in your Calendly link"), and keep `utm_*` parameters with the booking (the invitee's
// `tracking`, also in the invitee.created webhook); `first_name`, `last_name`, `guests` and
// `location` exist too but are not used here.

#include "calrt/core/error.hpp"

#include <string>
#include <string_view>

namespace calrt::calendly {

struct BookingPrefill {
    std::string name;     // -> name
    std::string email;    // -> email
    std::string purpose;  // -> a1, the answer to the event type's first custom question
    // -> utm_content: comes back as payload.tracking.utm_content of the booking's webhook, so the
    // service recognises bookings made through its own link.
    std::string tracking;
};

// Adds the non-empty prefill values to `base_url`, replacing parameters of the same name and
// keeping all others (e.g. Calendly's `month`) and any fragment. Values are percent-encoded
// except for RFC 3986 unreserved characters, so spaces, '&', '+', '=', '#', '%' and non-ASCII
// UTF-8 survive the trip through the browser ('+' is encoded because form decoding, which
// booking pages use, reads a bare '+' as a space).
// Errors: upstream_failed / "invalid_booking_url" when base_url is not an absolute http(s) URL
//         with a host; invalid_argument / "invalid_prefill" when a value is not valid UTF-8.
Result<std::string> personalize_booking_url(std::string_view base_url,
                                            const BookingPrefill& prefill);

}  // namespace calrt::calendly
