#pragma once
// Typed views of Calendly API v2 resources (developer.calendly.com, "API Reference").
//
// Parsing is tolerant in the ways Calendly's API evolves: unknown fields are ignored, fields the
// reference documents as nullable are std::optional (missing, null or an unexpected type all read
// as absent), and only the fields this service reads are modelled. A required field that is
// missing or unusable makes the parse fail with upstream_failed / "bad_calendly_response" and a
// message naming the field ("resource.scheduling_url is missing"). Every model keeps the object it
// was read from in `raw`, because DESIGN.md passes Calendly resources through unchanged.
//
// Each model has `static Result<M> parse(const nlohmann::json& object, std::string path)`;
// `path` only names the object in error messages. For whole response bodies use the helpers in
// calrt/calendly/page.hpp (parse_resource, parse_page, parse_collection).

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace calrt::calendly {

// GET /users/me, GET /users/{uuid}.
struct User {
    std::string uri;
    std::string name;
    std::string slug;
    std::string email;
    std::string scheduling_url;
    std::string timezone;  // IANA name, e.g. "America/New_York"
    std::string current_organization;  // organization URI
    std::optional<std::string> avatar_url;  // nullable
    nlohmann::json raw;

    static Result<User> parse(const nlohmann::json& object, std::string path = "resource");
};

// A question on an event type's booking page. The n-th question (by position) is prefilled by
// the `a<n>` query parameter of a booking link, and answered in POST /invitees'
// questions_and_answers by its `name` and `position`.
struct CustomQuestion {
    std::string name;
    std::string type;  // "string", "text", "phone_number", "single_select", "multi_select"; others carried
    std::int64_t position = 0;
    bool enabled = false;
    bool required = false;
    std::vector<std::string> answer_choices;  // the select types' choices; missing or null reads as none
    bool include_other = false;               // a select type also takes a free answer
};

// One place an event type can happen (EventType.locations[]). `kind` is carried as Calendly sent
// it, an unknown kind included: "google_conference", "zoom_conference",
// "microsoft_teams_conference", "gotomeeting_conference", "webex_conference", "physical",
// "inbound_call" (the invitee calls the host), "outbound_call" (the host calls the invitee's phone),
// "ask_invitee" (the invitee says where), "custom", ...
struct EventTypeLocation {
    std::string kind;
    std::optional<std::string> location;         // physical: the address; custom: the text
    std::optional<std::string> additional_info;  // nullable
    std::optional<std::string> phone_number;     // inbound_call: the host's number
    std::optional<std::int64_t> position;
    nlohmann::json raw;
};

// GET /event_types, GET /event_types/{uuid}.
struct EventType {
    std::string uri;
    std::optional<std::string> name;  // nullable in the reference
    bool active = false;
    std::optional<std::string> slug;  // nullable
    std::string scheduling_url;
    std::int64_t duration = 0;  // minutes
    std::string kind;           // "solo" or "group"
    // "round_robin" (any host free), "collective" (every host free); null when not pooled. Others
    // are carried.
    std::optional<std::string> pooling_type;
    std::string type;          // "StandardEventType" or "AdhocEventType"
    bool secret = false;       // hidden from the scheduling page
    std::optional<std::string> description_plain;  // nullable
    std::optional<std::string> description_html;   // nullable
    std::optional<std::string> profile_owner;      // profile.owner URI; profile is nullable
    std::optional<std::string> profile_name;       // profile.name
    std::optional<std::string> profile_type;       // profile.type: "User" or "Team"
    bool admin_managed = false;                    // an organization-managed type
    std::optional<Timestamp> deleted_at;           // nullable
    std::vector<CustomQuestion> custom_questions;  // missing reads as none
    // Where the meeting happens. Empty when the type has no location specification (`locations`
    // missing or null, e.g. many round robin types): POST /invitees then takes no `location`.
    std::vector<EventTypeLocation> locations;
    std::optional<std::int64_t> start_time_increment;  // minutes between offered starts (2026-11-13)
    std::optional<std::int64_t> before_buffer;          // minutes kept free before a meeting
    std::optional<std::int64_t> after_buffer;           // minutes kept free after a meeting
    std::optional<std::string> locale;                  // the booking page's language, e.g. "en"
    nlohmann::json raw;
    // Not Calendly's: the names of the people who host the type, as the organization's directory
    // knows them (organization_directory.hpp); empty outside organization mode. The assistant
    // tells "30 Minute Meeting" with Dana from the one with Priya by them.
    std::vector<std::string> host_names{};

    static Result<EventType> parse(const nlohmann::json& object, std::string path = "resource");
};

// A user as GET /organization_memberships and GET /event_type_memberships embed them.
struct Member {
    std::string uri;
    std::string name;
    std::string slug;
    std::optional<std::string> email;  // private: never in a public answer
    std::string scheduling_url;
    std::optional<std::string> timezone;
    std::optional<std::string> avatar_url;  // nullable

    static Result<Member> parse(const nlohmann::json& object, std::string path = "user");
};

// GET /organization_memberships: one member of an organization and their role.
struct OrganizationMembership {
    std::string uri;
    std::string role;  // "user", "admin" or "owner"; others carried (and not treated as admin)
    std::string organization;  // organization URI
    Member user;
    nlohmann::json raw;

    bool is_admin() const { return role == "admin" || role == "owner"; }

    static Result<OrganizationMembership> parse(const nlohmann::json& object,
                                                std::string path = "resource");
};

// GET /event_type_memberships ("List Event Type Hosts"): one host of an event type. The item
// schema is not in the reference's excerpt; the host is read from `member` (an embedded user),
// else from `user` (a URI or an embedded user).
struct EventTypeHost {
    std::string uri;
    std::string user_uri;
    std::optional<Member> member;  // when the item embeds the user
    nlohmann::json raw;

    static Result<EventTypeHost> parse(const nlohmann::json& object, std::string path = "resource");
};

// GET /event_type_available_times: one bookable start.
struct AvailableTime {
    std::string status;  // "available"
    std::int64_t invitees_remaining = 0;  // more than 1 only for group event types
    Timestamp start_time;
    std::string scheduling_url;  // books this slot directly
    nlohmann::json raw;

    static Result<AvailableTime> parse(const nlohmann::json& object, std::string path = "resource");
};

// GET /user_busy_times: a time the user is not available.
struct BusyTime {
    std::string type;  // "calendly", "reserved" or "external"
    Timestamp start_time;
    Timestamp end_time;
    std::optional<Timestamp> buffered_start_time;  // with the event type's buffers, when given
    std::optional<Timestamp> buffered_end_time;
    std::optional<std::string> event_uri;  // event.uri, for type "calendly" only
    nlohmann::json raw;

    static Result<BusyTime> parse(const nlohmann::json& object, std::string path = "resource");
};

// POST /scheduling_links -> 201 {"resource": SchedulingLink}.
struct SchedulingLink {
    std::string booking_url;
    std::optional<std::string> owner;       // the event type URI; optional in the reference
    std::optional<std::string> owner_type;  // "EventType"; optional in the reference
    nlohmann::json raw;

    static Result<SchedulingLink> parse(const nlohmann::json& object,
                                        std::string path = "resource");
};

// Inside a canceled ScheduledEvent or Invitee, and the resource of
// POST /scheduled_events/{uuid}/cancellation.
struct Cancellation {
    std::string canceled_by;    // name of the person who canceled
    std::optional<std::string> reason;  // nullable
    std::string canceler_type;  // "host" or "invitee"
    std::optional<Timestamp> created_at;  // optional in the reference
    nlohmann::json raw;

    static Result<Cancellation> parse(const nlohmann::json& object, std::string path = "resource");
};

struct EventMembership {
    std::string user;  // user URI
    std::optional<std::string> user_email;
    std::optional<std::string> user_name;
};

// GET /scheduled_events, GET /scheduled_events/{uuid}: a booked meeting.
struct ScheduledEvent {
    std::string uri;
    std::optional<std::string> name;  // nullable
    std::string status;               // "active" or "canceled"
    Timestamp start_time;
    Timestamp end_time;
    std::string event_type;  // event type URI
    std::optional<std::string> location_type;  // location.type, e.g. "zoom", "physical"
    std::optional<std::string> location;       // location.location (address or details)
    std::optional<std::string> join_url;       // location.join_url for conferencing
    std::int64_t invitees_total = 0;   // invitees_counter.total
    std::int64_t invitees_active = 0;  // invitees_counter.active
    std::int64_t invitees_limit = 0;   // invitees_counter.limit
    std::vector<EventMembership> event_memberships;  // the hosts
    std::optional<Cancellation> cancellation;  // present once canceled
    Timestamp created_at;
    Timestamp updated_at;
    nlohmann::json raw;

    static Result<ScheduledEvent> parse(const nlohmann::json& object,
                                        std::string path = "resource");
};

struct QuestionAndAnswer {
    std::string question;
    std::string answer;
    std::int64_t position = 0;
};

// GET /scheduled_events/{uuid}/invitees, POST /invitees: a person booked into an event.
struct Invitee {
    std::string uri;
    std::string email;
    std::string name;
    std::optional<std::string> first_name;  // nullable
    std::optional<std::string> last_name;   // nullable
    std::string status;                     // "active" or "canceled"
    std::optional<std::string> timezone;    // nullable
    std::string event;  // scheduled event URI
    bool rescheduled = false;
    std::optional<std::string> old_invitee;  // nullable: the invitee this one rescheduled
    std::optional<std::string> new_invitee;  // nullable
    std::optional<std::string> cancel_url;
    std::optional<std::string> reschedule_url;
    std::optional<std::string> text_reminder_number;  // nullable
    std::vector<QuestionAndAnswer> questions_and_answers;
    std::optional<Cancellation> cancellation;  // present once canceled
    bool no_show = false;  // no_show is a nullable object; present means marked
    Timestamp created_at;
    Timestamp updated_at;
    nlohmann::json raw;

    static Result<Invitee> parse(const nlohmann::json& object, std::string path = "resource");
};

// GET/POST /webhook_subscriptions.
struct WebhookSubscription {
    std::string uri;
    std::string callback_url;
    std::string state;  // "active" or "disabled"
    std::vector<std::string> events;  // e.g. "invitee.created"
    std::string scope;                // "user", "organization" or "group"
    std::string organization;         // organization URI
    std::optional<std::string> user;     // nullable: set for scope "user"
    std::optional<std::string> group;    // nullable: set for scope "group"
    std::optional<std::string> creator;  // nullable
    std::optional<Timestamp> retry_started_at;  // nullable: Calendly is retrying deliveries
    Timestamp created_at;
    Timestamp updated_at;
    nlohmann::json raw;

    static Result<WebhookSubscription> parse(const nlohmann::json& object,
                                             std::string path = "resource");
};

// Calendly's error body: {"title", "message", "details": [{"parameter", "message"}]}.
// `details` is optional and its entries may lack `parameter`.
struct ErrorResponse {
    std::string title;    // e.g. "Invalid Argument", "Resource Not Found"
    std::string message;  // e.g. "The supplied parameters are invalid."
    std::vector<ErrorDetail> details;
    nlohmann::json raw;

    static Result<ErrorResponse> parse(const nlohmann::json& object, std::string path = "error");
};

}  // namespace calrt::calendly
