#include "event_type_choice.hpp"

#include "calrt/core/text.hpp"

#include <algorithm>

#include "calrt/calendly/booking_details_json.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/core/input_validation.hpp"

namespace calrt::tools {
namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

}  // namespace

const calendly::EventType* find_event_type(const std::vector<calendly::EventType>& types,
                                           std::string_view wanted) {
    wanted = trim(wanted, " ");
    if (wanted.empty()) return nullptr;
    const auto wanted_uuid = calendly::is_calendly_uuid(wanted) ? std::optional<std::string>(wanted)
                                                                : calendly::uuid_from_uri(wanted);
    for (const auto& type : types) {
        if (type.uri == wanted || (wanted_uuid && calendly::uuid_from_uri(type.uri) == wanted_uuid))
            return &type;
    }
    // "30 Minute Meeting with Dana Whitfield" first: in an organization several hosts offer a
    // type of the same name.
    for (const auto& type : types) {
        if (!type.host_names.empty() && equal_ignoring_case(labelled_name(type), wanted)) return &type;
    }
    for (const auto& type : types) {
        if ((type.slug && equal_ignoring_case(*type.slug, wanted)) ||
            (type.name && equal_ignoring_case(*type.name, wanted))) {
            return &type;
        }
    }
    return nullptr;
}

std::string hosts_text(const calendly::EventType& type) {
    const auto& names = type.host_names;
    if (names.empty()) return "";
    const bool together = type.pooling_type == "collective";
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) text += i + 1 == names.size() ? (together ? " and " : " or ") : ", ";
        text += names[i];
    }
    return text;
}

std::string labelled_name(const calendly::EventType& type) {
    if (type.host_names.empty()) return display_name(type);
    return display_name(type) + " with " + hosts_text(type);
}

std::string display_name(const calendly::EventType& type) {
    if (type.name && !type.name->empty()) return *type.name;
    if (type.slug && !type.slug->empty()) return *type.slug;
    return "Meeting";
}

nlohmann::json event_type_summary(const calendly::EventType& type) {
    nlohmann::json summary{{"name", display_name(type)},
                           {"duration_minutes", type.duration},
                           {"description", type.description_plain.value_or("")},
                           {"booking_url", type.scheduling_url},
                           {"uri", type.uri}};
    if (!type.host_names.empty()) {
        summary["hosts"] = type.host_names;
        // round_robin: Calendly picks one free host; collective: every host attends.
        if (type.pooling_type) summary["pooling"] = *type.pooling_type;
    }
    return summary;
}

nlohmann::json event_type_with_booking(const calendly::EventType& type) {
    auto summary = event_type_summary(type);
    summary["booking"] = calendly::booking_requirements_json(calendly::booking_requirements(type));
    return summary;
}

std::string list_event_types(const std::vector<calendly::EventType>& types) {
    std::string text;
    for (const auto& type : types) {
        if (!text.empty()) text += ", ";
        text += labelled_name(type) + " (" + std::to_string(type.duration) + " min)";
    }
    return text;
}

Error booking_limit_reached(const calendly::EventType& type) {
    return Error::make(ErrorKind::rate_limited, "booking_limit_reached",
                       "This conversation has made as many bookings and links as it may. Offer the "
                       "public booking page instead: " + type.scheduling_url);
}

Error daily_booking_limit_reached(const calendly::EventType& type) {
    return Error::make(ErrorKind::rate_limited, "daily_booking_limit_reached",
                       "The service has booked as many meetings today as it may. Offer the public "
                       "booking page instead: " + type.scheduling_url);
}

Error no_event_types() {
    return Error::make(ErrorKind::not_found, "no_event_types",
                       "The host has no meeting types open for booking right now.");
}

Error unknown_event_type(std::string_view wanted, const std::vector<calendly::EventType>& types) {
    const std::string shown(wanted.substr(0, 100));
    return invalid_field(
        "event_type", "unknown_event_type",
        "no meeting type is called '" + shown + "'; the host offers: " + list_event_types(types));
}

}  // namespace calrt::tools
