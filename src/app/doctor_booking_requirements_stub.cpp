// TEMPORARY: stands in for src/calendly/booking_requirements.cpp (branch cal-booking) until that
// branch lands; deleted when it is merged.
#include "calrt/calendly/booking_requirements.hpp"

namespace calrt::calendly {

BookingRequirements booking_requirements(const EventType& event_type) {
    BookingRequirements requirements;
    for (const auto& location : event_type.locations) {
        requirements.locations.push_back({location.kind, location.kind, InviteeSupplies::nothing});
    }
    for (const auto& question : event_type.custom_questions) {
        if (!question.enabled) continue;
        requirements.questions.push_back({question.name, question.type, question.position, question.required,
                                          question.answer_choices, question.include_other});
    }
    return requirements;
}

}  // namespace calrt::calendly
