#pragma once
// What the fake's POST /invitees checks beyond the invitee and the time, as Calendly does: the
// `location` the event type is configured with and answers to its required custom questions.

#include <nlohmann/json.hpp>
#include <string>

#include "testing/fake_calendly/calendly_errors.hpp"
#include "testing/fake_calendly/records.hpp"

namespace calrt::testing::fake {

struct CheckedBookingDetails {
    std::string location_kind;  // empty when the request carried no location
    std::string location;
    nlohmann::json questions_and_answers = nlohmann::json::array();
};

// 400 "Invalid Argument" with a detail per parameter when `body` lacks what `type` needs.
CalendlyResult<CheckedBookingDetails> check_booking_details(const EventTypeRecord& type,
                                                            const nlohmann::json& body);

}  // namespace calrt::testing::fake
