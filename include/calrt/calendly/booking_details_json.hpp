#pragma once
// Booking details on this service's own interfaces (the REST `book` action, book_meeting): reading
// a person's `location` ({"kind", "phone_number" | "details"}) and `answers`
// ([{"question", "answer"}]), and describing what an event type needs, so a client or the model
// asks for it before booking.

#include <nlohmann/json.hpp>

#include "calrt/calendly/booking_requirements.hpp"
#include "calrt/core/error.hpp"

namespace calrt::calendly {

// `object`'s optional "location" and "answers" members. A multi_select answer may also be an array
// of strings. Errors: invalid_argument / "invalid_booking_details" naming the member.
Result<GivenBookingDetails> given_booking_details_from_json(const nlohmann::json& object);

// {"direct_booking": bool, "link_only_reason"?, "locations": [{"kind", "description", "ask_for":
// "phone_number" | "details" | null}], "choose_location": bool, "questions": [{"question", "type",
// "required", "choices"?, "other_allowed"?}], "ask_before_booking": "..."}
nlohmann::json booking_requirements_json(const BookingRequirements& requirements);

}  // namespace calrt::calendly
