#pragma once
// A booking link made for one person: a single-use scheduling link for the chosen (or the first
// active) event type, with their name, email and purpose prefilled. When Calendly fails, the same
// prefill on CALENDLY_FALLBACK_URL (DESIGN.md: create-link never fails because Calendly fails).

#include "calrt/calendly/booking_link.hpp"
#include "calrt/calendly/calendly_client.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace calrt::calendly {

struct PersonalizedLinkRequest {
    std::optional<std::string> event_type;  // UUID or URI; unset: the host's first active type
    BookingPrefill prefill;
};

struct PersonalizedLink {
    std::string booking_url;
    std::optional<EventType> event_type;  // known unless Calendly failed before it was read
    bool fallback = false;
    std::string fallback_reason;  // the Calendly error's code when fallback is true
};

// Errors: invalid_argument for a malformed event type id; not_found when Calendly says the event
// type does not exist or it is not one of the host's active types; not_configured
// ("no_fallback_url") when Calendly failed and no CALENDLY_FALLBACK_URL is set.
// The fallback answer on its own, for callers that saw Calendly fail before they could ask for a
// link: `fallback_url` with the prefill, `fallback` true and the reason `cause.code`.
// Errors: not_configured ("no_fallback_url") when `fallback_url` is empty; those of
// personalize_booking_url.
Result<PersonalizedLink> fallback_personalized_link(const std::string& fallback_url, const BookingPrefill& prefill,
                                                    std::optional<EventType> event_type, const Error& cause);

boost::asio::awaitable<Result<PersonalizedLink>> create_personalized_link(CalendlyClient& client,
                                                                          std::string fallback_url,
                                                                          PersonalizedLinkRequest request);

// The same for a type the caller has already chosen among those it offers (organization mode: any
// host's type, which the host's own list does not have).
boost::asio::awaitable<Result<PersonalizedLink>> create_personalized_link(CalendlyClient& client,
                                                                          std::string fallback_url,
                                                                          EventType chosen, BookingPrefill prefill);

}  // namespace calrt::calendly
