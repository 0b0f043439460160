#include "calendly_action_requests.hpp"

#include "calrt/calendly/booking_details_json.hpp"

#include <utility>

namespace calrt::server {

Result<EventInfoRequest> event_info_request_from(const ActionParams& params) {
    const auto uuid = params.get("uuid");
    const auto uri = params.get("uri");
    if (!uuid == !uri) {
        return Error::make(ErrorKind::invalid_argument, "missing_field", "give exactly one of uuid or uri");
    }
    auto id = uuid ? validate_resource_id("uuid", *uuid, "event_types") : validate_resource_id("uri", *uri, "event_types");
    if (!id) return id.error();
    return EventInfoRequest{std::move(*id)};
}

Result<AvailabilityRequest> availability_request_from(const ActionParams& params, TimeZoneCache& zones) {
    auto event_type = params.required("event_type");
    if (!event_type) return event_type.error();
    auto id = validate_resource_id("event_type", *event_type, "event_types");
    if (!id) return id.error();
    auto start_text = params.required("start_time");
    if (!start_text) return start_text.error();
    auto start = validate_time("start_time", *start_text);
    if (!start) return start.error();
    auto end_text = params.required("end_time");
    if (!end_text) return end_text.error();
    auto end = validate_time("end_time", *end_text);
    if (!end) return end.error();
    if (*end <= *start) {
        return Error::make(ErrorKind::invalid_argument, "invalid_time_range", "end_time must be after start_time");
    }
    std::optional<TimeZone> zone;
    if (const auto zone_name = params.get("timezone")) {
        auto loaded = validate_time_zone("timezone", *zone_name, zones);
        if (!loaded) return loaded.error();
        zone = std::move(*loaded);
    }
    return AvailabilityRequest{std::move(*id), {*start, *end}, std::move(zone)};
}

Result<calendly::ScheduledEventQuery> scheduled_events_query_from(const ActionParams& params) {
    calendly::ScheduledEventQuery query;
    if (const auto status = params.get("status")) {
        if (*status != "active" && *status != "canceled") {
            return Error::make(ErrorKind::invalid_argument, "invalid_status", "status must be active or canceled");
        }
        query.status = std::string(*status);
    }
    for (const auto& [field, slot] : {std::pair{"min_start_time", &query.min_start_time},
                                      std::pair{"max_start_time", &query.max_start_time}}) {
        if (const auto text = params.get(field)) {
            auto time = validate_time(field, *text);
            if (!time) return time.error();
            *slot = *time;
        }
    }
    if (query.min_start_time && query.max_start_time && *query.max_start_time <= *query.min_start_time) {
        return Error::make(ErrorKind::invalid_argument, "invalid_time_range",
                           "max_start_time must be after min_start_time");
    }
    if (const auto email = params.get("invitee_email")) {
        auto valid = validate_email("invitee_email", *email);
        if (!valid) return valid.error();
        query.invitee_email = std::move(*valid);
    }
    return query;
}

Result<calendly::PersonalizedLinkRequest> create_link_request_from(const ActionParams& params) {
    auto name_text = params.required("name");
    if (!name_text) return name_text.error();
    auto name = validate_name("name", *name_text);
    if (!name) return name.error();
    auto email_text = params.required("email");
    if (!email_text) return email_text.error();
    auto email = validate_email("email", *email_text);
    if (!email) return email.error();
    calendly::PersonalizedLinkRequest request;
    request.prefill = {std::move(*name), std::move(*email), {}, {}};
    if (const auto purpose = params.get("purpose")) {
        auto text = validate_text("purpose", *purpose, 1000);
        if (!text) return text.error();
        request.prefill.purpose = std::move(*text);
    }
    if (const auto event_type = params.get("event_type")) {
        auto id = validate_resource_id("event_type", *event_type, "event_types");
        if (!id) return id.error();
        request.event_type = std::move(*id);
    }
    return request;
}

Result<BookRequest> book_request_from(const ActionParams& params, Timestamp now, TimeZoneCache& zones) {
    auto event_type = params.required("event_type");
    if (!event_type) return event_type.error();
    auto id = validate_resource_id("event_type", *event_type, "event_types");
    if (!id) return id.error();
    auto start_text = params.required("start_time");
    if (!start_text) return start_text.error();
    auto start = validate_time("start_time", *start_text);
    if (!start) return start.error();
    if (*start <= now) {
        return Error::make(ErrorKind::invalid_argument, "start_time_in_past", "start_time must be in the future");
    }
    auto name_text = params.required("name");
    if (!name_text) return name_text.error();
    auto name = validate_name("name", *name_text);
    if (!name) return name.error();
    auto email_text = params.required("email");
    if (!email_text) return email_text.error();
    auto email = validate_email("email", *email_text);
    if (!email) return email.error();
    auto zone_text = params.required("timezone");
    if (!zone_text) return zone_text.error();
    auto zone = validate_time_zone("timezone", *zone_text, zones);
    if (!zone) return zone.error();
    // A string where an object or array belongs would otherwise be silently ignored.
    for (const char* field : {"location", "answers"}) {
        if (params.get(field)) {
            Error error = Error::make(ErrorKind::invalid_argument, "invalid_booking_details",
                                      std::string(field) + (std::string_view(field) == "location"
                                                                ? " must be an object"
                                                                : " must be an array"));
            error.details.push_back({field, "has the wrong type"});
            return error;
        }
    }
    auto details = calendly::given_booking_details_from_json(params.structured());
    if (!details) return details.error();
    return BookRequest{std::move(*id),    *start, std::move(*name), std::move(*email), std::move(*zone),
                       std::move(*details)};
}

Result<CancelRequest> cancel_request_from(const ActionParams& params) {
    auto uuid_text = params.required("uuid");
    if (!uuid_text) return uuid_text.error();
    auto uuid = validate_resource_id("uuid", *uuid_text, "scheduled_events");
    if (!uuid) return uuid.error();
    std::string reason;
    if (const auto text = params.get("reason")) {
        auto valid = validate_text("reason", *text, 500);
        if (!valid) return valid.error();
        reason = std::move(*valid);
    }
    return CancelRequest{std::move(*uuid), std::move(reason)};
}

}  // namespace calrt::server
