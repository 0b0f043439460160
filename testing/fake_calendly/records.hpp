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

// A user's place in the organization: Calendly's OrganizationMembership (role "owner", "admin" or
// "user"). The token's user is one; a solo Calendly user owns its own organization.
struct MemberRecord {
    HostUser user{};
    std::string role{};
    std::string membership_uuid{};
    TimePoint membership_created_at{};
    TimePoint membership_updated_at{};
    // A removed member is kept so that the meetings it hosted still name it; it is no longer in
    // the organization's lists and GET /users/{uuid} no longer finds it.
    bool removed = false;
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
    // A personal type: the member whose it is (the store makes it the token's user when left
    // empty on a type without pooling). Empty for a team type.
    std::string owner_uuid{};
    // Empty: not pooled (Calendly's null); "round_robin": one free host is assigned per booking;
    // "collective": every host must be free and attends.
    std::string pooling_type{};
    std::vector<std::string> host_uuids{};  // a team type's hosts, in the team's order
    // A team type's team: its profile is {type:"Team", name, owner:<base>/teams/<team_uuid>} and
    // its page <base>/team/<team_slug>/<slug>.
    std::string team_uuid{};
    std::string team_name{};
    std::string team_slug{};

    bool is_team_type() const { return !pooling_type.empty(); }
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
    // The members hosting it (event_memberships): the type's owner, a round robin's assigned host
    // or every host of a collective. The store makes it the token's user when left empty.
    std::vector<std::string> host_uuids{};

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
