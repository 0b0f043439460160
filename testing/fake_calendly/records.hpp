#pragma once
// The fake's data as plain records; resource_json.hpp renders them in Calendly's wire format.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "testing/fake_calendly/calendly_time.hpp"

namespace calrt::testing::fake {

struct HostUser {
    std::string uuid;
    std::string name;
    std::string slug;
    std::string email;
    std::string timezone;
    std::string organization_uuid;
    TimePoint created_at;
    TimePoint updated_at;
};

struct EventTypeRecord {
    std::string uuid;
    std::string name;
    std::string slug;
    std::string color;
    std::string description;
    int duration_minutes = 30;
    bool active = true;
    bool secret = false;  // hidden from the host's booking page, shared by link only
    // More than 1: a group event type (Calendly's `kind` "group"), where up to this many invitees
    // book the same meeting; 1: one-on-one ("solo").
    int invitees_limit = 1;
    int position = 0;
    // `locations` as Calendly renders it: an array of {"kind", ...} or null (no location
    // specification); `custom_questions` an array of Calendly's question objects.
    nlohmann::json locations = nlohmann::json::array({{{"kind", "google_conference"}}});
    nlohmann::json custom_questions = nlohmann::json::array();
    TimePoint created_at;
    TimePoint updated_at;
};

struct CancellationRecord {
    std::string canceled_by;
    std::string reason;
    std::string canceler_type;  // "host" or "invitee"
    TimePoint created_at;
};

struct InviteeRecord {
    std::string uuid;
    std::string name;
    std::string first_name;  // empty: null (the event type asks for a single name field)
    std::string last_name;
    std::string email;
    std::string timezone;
    std::string text_reminder_number;  // empty: null
    std::string utm_content;           // tracking.utm_content; empty: null
    nlohmann::json questions_and_answers = nlohmann::json::array();
    std::string status = "active";
    std::optional<CancellationRecord> cancellation;
    TimePoint created_at;
    TimePoint updated_at;
};

struct ScheduledEventRecord {
    std::string uuid;
    std::string event_type_uuid;
    std::string name;
    std::string location_kind = "google_conference";
    std::string location;  // the address, phone number or text booked; empty for conferencing
    std::string join_url;
    TimePoint start;
    TimePoint end;
    std::string status = "active";
    std::optional<CancellationRecord> cancellation;
    std::vector<InviteeRecord> invitees;
    int invitees_limit = 1;  // the type's, when it was booked
    TimePoint created_at;
    TimePoint updated_at;

    std::size_t active_invitees() const {
        std::size_t active = 0;
        for (const auto& invitee : invitees) active += invitee.status == "active" ? 1 : 0;
        return active;
    }
};

struct SchedulingLinkRecord {
    std::string id;  // the "abcd-brv8" of https://calendly.com/d/abcd-brv8/15-minute-meeting
    std::string event_type_uuid;
    TimePoint created_at;
    bool used = false;  // max_event_count is always 1
};

struct WebhookSubscriptionRecord {
    std::string uuid;
    std::string callback_url;
    std::vector<std::string> events;
    std::string scope;      // "organization" or "user"
    std::string user_uuid;  // set for user scope
    std::string signing_key;
    TimePoint created_at;
    TimePoint updated_at;
};

}  // namespace calrt::testing::fake
