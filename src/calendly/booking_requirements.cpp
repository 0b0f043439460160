#include "calrt/calendly/booking_requirements.hpp"

#include "booking_text.hpp"
#include "calrt/core/text.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

// What an event type asks of a booking: its locations (the kinds POST /invitees documents) and its
// enabled custom questions. resolve_booking_details (booking_details_check.cpp) checks what a
// person gave against it.

namespace calrt::calendly {
namespace {

using detail::in_quotes;

struct KindDescription {
    std::string_view kind;
    std::string_view description;
    InviteeSupplies supplies;
};

// Every location kind POST /invitees documents (research §2, "kind values in the booking body").
constexpr std::array<KindDescription, 10> known_kinds{{
    {"google_conference", "Google Meet (the link comes with the invitation)",
     InviteeSupplies::nothing},
    {"zoom_conference", "Zoom (the link comes with the invitation)", InviteeSupplies::nothing},
    {"microsoft_teams_conference", "Microsoft Teams (the link comes with the invitation)",
     InviteeSupplies::nothing},
    {"gotomeeting_conference", "GoTo Meeting (the link comes with the invitation)",
     InviteeSupplies::nothing},
    {"webex_conference", "Webex (the link comes with the invitation)", InviteeSupplies::nothing},
    {"physical", "in person", InviteeSupplies::nothing},
    {"inbound_call", "a phone call: the invitee calls the host", InviteeSupplies::nothing},
    {"outbound_call", "a phone call: the host calls the invitee, who gives their number",
     InviteeSupplies::phone_number},
    {"ask_invitee", "a place the invitee names", InviteeSupplies::details},
    {"custom", "as the host describes", InviteeSupplies::nothing},
}};

const KindDescription* find_known_kind(std::string_view kind) {
    for (const auto& known : known_kinds) {
        if (known.kind == kind) return &known;
    }
    return nullptr;
}

constexpr std::array<std::string_view, 5> known_question_types{"string", "text", "phone_number",
                                                               "single_select", "multi_select"};

bool is_known_question_type(std::string_view type) {
    return std::find(known_question_types.begin(), known_question_types.end(), type) !=
           known_question_types.end();
}

std::string describe_location(const EventTypeLocation& location, const KindDescription* known) {
    if (!known) return location.kind + " (a location kind this service does not know)";
    std::string text(known->description);
    if (location.kind == "physical" && location.location) text += " at " + *location.location;
    if (location.kind == "custom" && location.location) text = *location.location;
    if (location.kind == "inbound_call" && location.phone_number)
        text += " at " + *location.phone_number;
    return text;
}

}  // namespace

BookingRequirements booking_requirements(const EventType& event_type) {
    BookingRequirements requirements;

    // Round robin types take no `location` in POST /invitees (research §6, quoting the OpenAPI).
    const bool takes_location = event_type.pooling_type.value_or("") != "round_robin";
    std::vector<std::string> unknown_kinds;
    if (takes_location) {
        for (const auto& location : event_type.locations) {
            const auto* known = find_known_kind(location.kind);
            if (!known) {
                unknown_kinds.push_back(location.kind);
                continue;
            }
            const bool listed = std::any_of(
                requirements.locations.begin(), requirements.locations.end(),
                [&](const LocationOption& option) { return option.kind == location.kind; });
            if (listed)
                continue;  // the person chooses a kind; Calendly's request names only the kind
            requirements.locations.push_back(
                {location.kind, describe_location(location, known), known->supplies});
        }
    }
    if (requirements.locations.empty() && !unknown_kinds.empty()) {
        requirements.link_only_reason =
            "its location (" + join(unknown_kinds, ", ") +
            ") is of a kind this service cannot fill in; the booking page can";
    }

    std::vector<CustomQuestion> questions;
    for (const auto& question : event_type.custom_questions) {
        if (question.enabled) questions.push_back(question);
    }
    std::stable_sort(
        questions.begin(), questions.end(),
        [](const CustomQuestion& a, const CustomQuestion& b) { return a.position < b.position; });
    for (const auto& question : questions) {
        if (!is_known_question_type(question.type)) {
            // An optional question of an unknown type is left unanswered; a required one cannot be.
            if (question.required && !requirements.link_only_reason) {
                requirements.link_only_reason = "it requires an answer to " +
                                                in_quotes(question.name) + ", a question of a kind (" +
                                                question.type +
                                                ") that cannot be answered in a conversation";
            }
            continue;
        }
        const bool is_select = question.type == "single_select" || question.type == "multi_select";
        if (is_select && question.answer_choices.empty() && !question.include_other) {
            if (question.required && !requirements.link_only_reason) {
                requirements.link_only_reason = "it requires an answer to " +
                                                in_quotes(question.name) + ", which offers no choices";
            }
            continue;
        }
        requirements.questions.push_back({question.name, question.type, question.position,
                                          question.required, question.answer_choices,
                                          question.include_other});
    }
    return requirements;
}

}  // namespace calrt::calendly
