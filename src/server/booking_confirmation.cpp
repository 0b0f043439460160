#include "calrt/server/booking_confirmation.hpp"

#include <algorithm>
#include <cctype>

#include "calrt/core/time.hpp"

namespace calrt::server {
using nlohmann::json;

namespace {

std::string string_at(const json& object, const json::json_pointer& pointer) {
    if (!object.contains(pointer)) return {};
    const json& value = object.at(pointer);
    return value.is_string() ? value.get<std::string>() : std::string();
}

// The start in the invitee's zone, so the model can say it as the person expects it; the UTC text
// as Calendly sent it when the zone or the time cannot be read.
std::string local_start(const std::string& start_time, const std::string& zone_name,
                        TimeZoneCache& time_zones) {
    if (zone_name.empty()) return start_time;
    const auto start = parse_rfc3339(start_time);
    if (!start) return start_time;
    const auto zone = time_zones.get(zone_name);
    if (!zone) return start_time;
    return zone->to_local(*start).to_rfc3339();
}

}  // namespace

std::string normalized_email(std::string_view email) {
    std::string lowered(email);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lowered;
}

std::optional<BookingConfirmation> booking_confirmation(std::string_view raw_body,
                                                        TimeZoneCache& time_zones) {
    const json envelope = json::parse(raw_body, nullptr, false);
    if (envelope.is_discarded() || !envelope.is_object()) return std::nullopt;
    if (string_at(envelope, json::json_pointer("/event")) != "invitee.created") return std::nullopt;
    BookingConfirmation booking;
    booking.email = string_at(envelope, json::json_pointer("/payload/email"));
    if (booking.email.empty()) return std::nullopt;
    booking.invitee_uri = string_at(envelope, json::json_pointer("/payload/uri"));
    booking.tracking = string_at(envelope, json::json_pointer("/payload/tracking/utm_content"));
    booking.event_type_uri = string_at(envelope, json::json_pointer("/payload/scheduled_event/event_type"));
    if (auto start = parse_rfc3339(string_at(envelope, json::json_pointer("/payload/scheduled_event/start_time")))) {
        booking.start = *start;
    }
    booking.event_name = string_at(envelope, json::json_pointer("/payload/scheduled_event/name"));
    booking.timezone = string_at(envelope, json::json_pointer("/payload/timezone"));
    booking.start_utc = string_at(envelope, json::json_pointer("/payload/scheduled_event/start_time"));
    booking.end_utc = string_at(envelope, json::json_pointer("/payload/scheduled_event/end_time"));
    booking.cancel_url = string_at(envelope, json::json_pointer("/payload/cancel_url"));
    booking.reschedule_url = string_at(envelope, json::json_pointer("/payload/reschedule_url"));
    const auto location = json::json_pointer("/payload/scheduled_event/location");
    if (envelope.contains(location) && envelope.at(location).is_object()) {
        booking.location = json::object();
        // Where to meet, nothing else of the host's calendar (status, data of other kinds).
        for (const char* key : {"type", "location", "join_url"}) {
            const auto& where = envelope.at(location);
            if (where.contains(key) && where[key].is_string()) booking.location[key] = where[key];
        }
    }
    const auto memberships = json::json_pointer("/payload/scheduled_event/event_memberships");
    if (envelope.contains(memberships) && envelope.at(memberships).is_array()) {
        for (const auto& membership : envelope.at(memberships)) {
            if (membership.is_object() && membership.contains("user_name") && membership["user_name"].is_string())
                booking.hosts.push_back(membership["user_name"].get<std::string>());
        }
    }
    booking.start_time =
        local_start(string_at(envelope, json::json_pointer("/payload/scheduled_event/start_time")),
                    booking.timezone, time_zones);
    return booking;
}

bool matches(const BookingConfirmation& booking, const tools::ExpectedBooking& expected) {
    if (expected.event_type_uri.empty() || booking.event_type_uri != expected.event_type_uri) return false;
    if (!expected.tracking.empty()) return booking.tracking == expected.tracking;
    if (!expected.invitee_uri.empty()) return booking.invitee_uri == expected.invitee_uri;
    if (normalized_email(booking.email) != normalized_email(expected.email)) return false;
    return expected.start_time && booking.start && *booking.start == *expected.start_time;
}

json confirmation_item(const BookingConfirmation& booking) {
    std::string text = "Calendly has just confirmed the booking";
    if (!booking.event_name.empty()) text += " of \"" + booking.event_name + "\"";
    for (std::size_t i = 0; i < booking.hosts.size(); ++i) {
        text += i == 0 ? " with " : (i + 1 == booking.hosts.size() ? " and " : ", ");
        text += booking.hosts[i];
    }
    if (!booking.start_time.empty()) text += " starting " + booking.start_time;
    if (!booking.timezone.empty()) text += " (" + booking.timezone + ")";
    text += " for " + booking.email +
            ". Tell the person now, briefly, that they are booked and that a calendar invitation "
            "is on its way by email.";
    json content = json::array();
    content.push_back(json{{"type", "input_text"}, {"text", std::move(text)}});
    json item = {{"type", "message"}, {"role", "system"}, {"content", std::move(content)}};
    return json{{"type", "conversation.item.create"}, {"item", std::move(item)}};
}

json booking_confirmed_event(const BookingConfirmation& booking) {
    const auto text_or_null = [](const std::string& text) { return text.empty() ? json() : json(text); };
    json event{{"type", "calrt.booking_confirmed"},
            {"invitee", text_or_null(booking.invitee_uri)},
            {"event_name", text_or_null(booking.event_name)},
            {"start_time", text_or_null(booking.start_utc)},
            {"end_time", text_or_null(booking.end_utc)},
            {"timezone", text_or_null(booking.timezone)},
            {"location", booking.location},
            {"cancel_url", text_or_null(booking.cancel_url)},
            {"reschedule_url", text_or_null(booking.reschedule_url)}};
    if (!booking.hosts.empty()) event["hosts"] = booking.hosts;  // organization mode
    return event;
}

}  // namespace calrt::server
