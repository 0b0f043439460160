#include "testing/fake_calendly/resource_json.hpp"

namespace calrt::testing::fake {
namespace {

using nlohmann::json;

json null_or(const std::string& value) { return value.empty() ? json(nullptr) : json(value); }

// The invitee's UTM and Salesforce tracking: utm_content from its booking page, the rest null.
json tracking(const InviteeRecord& invitee) {
    return {{"utm_campaign", nullptr}, {"utm_source", nullptr}, {"utm_medium", nullptr},
            {"utm_content", null_or(invitee.utm_content)},  {"utm_term", nullptr},
            {"salesforce_uuid", nullptr}};
}

// A scheduled event's `location`: conferencing kinds carry their join URL, the others the
// address, number or text that was booked.
json event_location(const ScheduledEventRecord& event) {
    if (event.location_kind.empty()) return nullptr;  // a type without a location specification
    json location{{"type", event.location_kind}};
    if (!event.join_url.empty()) {
        location["status"] = "pushed";
        location["join_url"] = event.join_url;
    }
    if (!event.location.empty()) location["location"] = event.location;
    return location;
}

// Calendly's kind_description: "Round Robin" and "Collective" for pooled (team) types.
const char* kind_description(const EventTypeRecord& type) {
    if (type.pooling_type == "round_robin") return "Round Robin";
    if (type.pooling_type == "collective") return "Collective";
    return type.invitees_limit > 1 ? "Group" : "One-on-One";
}

// The public profile: a personal type's owner, or a team type's team ({type:"Team", name, owner:
// the team's URI}; Calendly's Profile.type is "User" or "Team").
json profile(const ResourceUris& uris, const EventTypeRecord& type, const HostUser& owner) {
    if (type.is_team_type()) {
        return {{"type", "Team"}, {"name", type.team_name}, {"owner", uris.team(type.team_uuid)}};
    }
    return {{"type", "User"}, {"name", owner.name}, {"owner", uris.user(owner.uuid)}};
}

// A UUID-shaped id for the pair (a, b), the same on every call, so that an event type membership
// has a stable URI without the store keeping one per (type, host): the hex digits of both added
// digit by digit.
std::string pair_uuid(std::string_view a, std::string_view b) {
    static constexpr char kDigits[] = "0123456789abcdef";
    const auto value = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    std::string out(a);
    for (std::size_t i = 0; i < out.size() && i < b.size(); ++i) {
        // Dashes, and the version (14) and variant (19) digits, stay a's.
        if (out[i] == '-' || b[i] == '-' || i == 14 || i == 19) continue;
        out[i] = kDigits[(value(out[i]) + value(b[i])) % 16];
    }
    return out;
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string ResourceJson::user_scheduling_url(const HostUser& host) const {
    return uris_.base() + "/" + host.slug;
}

std::string ResourceJson::event_type_scheduling_url(const EventTypeRecord& type,
                                                    const HostUser& owner) const {
    if (type.is_team_type()) return uris_.base() + "/team/" + type.team_slug + "/" + type.slug;
    return user_scheduling_url(owner) + "/" + type.slug;
}

json ResourceJson::user(const HostUser& host) const {
    return {{"uri", uris_.user(host.uuid)},
            {"name", host.name},
            {"slug", host.slug},
            {"email", host.email},
            {"scheduling_url", user_scheduling_url(host)},
            {"timezone", host.timezone},
            {"time_notation", "12h"},
            {"avatar_url", nullptr},
            {"locale", "en"},
            {"created_at", format_calendly_time(host.created_at)},
            {"updated_at", format_calendly_time(host.updated_at)},
            {"current_organization", uris_.organization(host.organization_uuid)},
            {"resource_type", "User"}};
}

json ResourceJson::event_type(const EventTypeRecord& type, const HostUser& owner) const {
    return {{"uri", uris_.event_type(type.uuid)},
            {"name", type.name},
            {"active", type.active},
            {"booking_method", "instant"},
            {"slug", type.slug},
            {"scheduling_url", event_type_scheduling_url(type, owner)},
            {"duration", type.duration_minutes},
            {"duration_options", nullptr},
            {"kind", type.invitees_limit > 1 ? "group" : "solo"},
            {"pooling_type", null_or(type.pooling_type)},
            {"type", "StandardEventType"},
            {"kind_description", kind_description(type)},
            {"color", type.color},
            // developer.calendly.com/release-notes/2026/11/13 (Calendly's defaults) and 2025/4/25.
            {"start_time_increment", 30},
            {"before_buffer", 0},
            {"after_buffer", 0},
            {"locale", "en"},
            {"created_at", format_calendly_time(type.created_at)},
            {"updated_at", format_calendly_time(type.updated_at)},
            {"internal_note", nullptr},
            {"description_plain", type.description},
            {"description_html", "<p>" + html_escape(type.description) + "</p>"},
            {"profile", profile(uris_, type, owner)},
            {"secret", type.secret},
            {"deleted_at", nullptr},
            {"admin_managed", false},
            {"is_paid", false},
            {"custom_questions", type.custom_questions},
            {"locations", type.locations},
            {"position", type.position}};
}

json ResourceJson::cancellation(const CancellationRecord& cancellation) const {
    return {{"canceled_by", cancellation.canceled_by},
            {"reason", null_or(cancellation.reason)},
            {"canceler_type", cancellation.canceler_type},
            {"created_at", format_calendly_time(cancellation.created_at)}};
}

json ResourceJson::scheduled_event(const ScheduledEventRecord& event,
                                   const std::vector<HostUser>& hosts) const {
    const std::size_t active = event.active_invitees();
    json memberships = json::array();
    for (const auto& host : hosts) {
        memberships.push_back(
            {{"user", uris_.user(host.uuid)}, {"user_email", host.email}, {"user_name", host.name}});
    }
    json out = {
        {"uri", uris_.scheduled_event(event.uuid)},
        {"name", event.name},
        {"meeting_notes_plain", nullptr},
        {"meeting_notes_html", nullptr},
        {"status", event.status},
        {"start_time", format_calendly_time(event.start)},
        {"end_time", format_calendly_time(event.end)},
        {"event_type", uris_.event_type(event.event_type_uuid)},
        {"location", event_location(event)},
        {"invitees_counter", {{"total", event.invitees.size()}, {"active", active}, {"limit", event.invitees_limit}}},
        {"created_at", format_calendly_time(event.created_at)},
        {"updated_at", format_calendly_time(event.updated_at)},
        {"event_memberships", std::move(memberships)},
        {"event_guests", json::array()},
        {"calendar_event", nullptr}};
    if (event.cancellation) out["cancellation"] = cancellation(*event.cancellation);
    return out;
}

json ResourceJson::invitee(const ScheduledEventRecord& event, const InviteeRecord& invitee) const {
    json out = {{"uri", uris_.invitee(event.uuid, invitee.uuid)},
                {"email", invitee.email},
                {"first_name", null_or(invitee.first_name)},
                {"last_name", null_or(invitee.last_name)},
                {"name", invitee.name},
                {"status", invitee.status},
                {"questions_and_answers", invitee.questions_and_answers},
                {"timezone", null_or(invitee.timezone)},
                {"event", uris_.scheduled_event(event.uuid)},
                {"created_at", format_calendly_time(invitee.created_at)},
                {"updated_at", format_calendly_time(invitee.updated_at)},
                {"tracking", tracking(invitee)},
                {"text_reminder_number", null_or(invitee.text_reminder_number)},
                {"rescheduled", false},
                {"old_invitee", nullptr},
                {"new_invitee", nullptr},
                {"cancel_url", uris_.base() + "/cancellations/" + invitee.uuid},
                {"reschedule_url", uris_.base() + "/reschedulings/" + invitee.uuid},
                {"routing_form_submission", nullptr},
                {"payment", nullptr},
                {"no_show", nullptr},
                {"reconfirmation", nullptr},
                {"scheduling_method", nullptr},
                {"invitee_scheduled_by", nullptr}};
    if (invitee.cancellation) out["cancellation"] = cancellation(*invitee.cancellation);
    return out;
}

json ResourceJson::webhook_subscription(const WebhookSubscriptionRecord& subscription,
                                        const HostUser& host) const {
    return {{"uri", uris_.webhook_subscription(subscription.uuid)},
            {"callback_url", subscription.callback_url},
            {"created_at", format_calendly_time(subscription.created_at)},
            {"updated_at", format_calendly_time(subscription.updated_at)},
            {"retry_started_at", nullptr},
            {"state", "active"},
            {"events", subscription.events},
            {"scope", subscription.scope},
            {"organization", uris_.organization(host.organization_uuid)},
            {"user", subscription.user_uuid.empty() ? json(nullptr)
                                                    : json(uris_.user(subscription.user_uuid))},
            {"group", nullptr},
            {"creator", uris_.user(host.uuid)}};
}

json ResourceJson::available_time(const EventTypeRecord& type, const HostUser& owner, TimePoint start,
                                  std::size_t invitees_remaining) const {
    // Calendly's example: .../discovery-call/2020-01-02T20:00:00Z?month=2020-01&date=2020-01-02
    const std::string date = format_date(start);
    return {{"status", "available"},
            {"invitees_remaining", invitees_remaining},
            {"start_time", format_calendly_time(start)},
            {"scheduling_url", event_type_scheduling_url(type, owner) + "/" +
                                   format_compact_time(start) + "?month=" + date.substr(0, 7) +
                                   "&date=" + date}};
}

json ResourceJson::busy_time(const ScheduledEventRecord& event) const {
    return {{"type", "calendly"},
            {"start_time", format_calendly_time(event.start)},
            {"end_time", format_calendly_time(event.end)},
            {"buffered_start_time", format_calendly_time(event.start)},
            {"buffered_end_time", format_calendly_time(event.end)},
            {"event", {{"uri", uris_.scheduled_event(event.uuid)}}}};
}

json ResourceJson::invitee_webhook_payload(const ScheduledEventRecord& event,
                                           const InviteeRecord& invitee,
                                           const std::vector<HostUser>& hosts) const {
    json payload = this->invitee(event, invitee);
    payload["scheduled_event"] = scheduled_event(event, hosts);
    return payload;
}

json ResourceJson::organization_membership(const MemberRecord& member) const {
    const HostUser& user = member.user;
    return {{"uri", uris_.organization_membership(member.membership_uuid)},
            {"role", member.role},
            {"user",
             {{"uri", uris_.user(user.uuid)},
              {"name", user.name},
              {"slug", user.slug},
              {"email", user.email},
              {"scheduling_url", user_scheduling_url(user)},
              {"timezone", user.timezone},
              {"avatar_url", nullptr},
              {"locale", "en"},
              {"time_notation", "12h"},
              {"created_at", format_calendly_time(user.created_at)},
              {"updated_at", format_calendly_time(user.updated_at)}}},
            {"organization", uris_.organization(user.organization_uuid)},
            {"created_at", format_calendly_time(member.membership_created_at)},
            {"updated_at", format_calendly_time(member.membership_updated_at)}};
}

json ResourceJson::event_type_membership(const EventTypeRecord& type, const json& type_json,
                                         const HostUser& member) const {
    return {{"uri", uris_.event_type_membership(pair_uuid(type.uuid, member.uuid))},
            {"event_type", type_json},
            {"member",
             {{"uri", uris_.user(member.uuid)},
              {"name", member.name},
              {"slug", member.slug},
              {"email", member.email},
              {"scheduling_url", user_scheduling_url(member)},
              {"timezone", member.timezone},
              {"avatar_url", nullptr}}},
            {"created_at", format_calendly_time(type.created_at)},
            {"updated_at", format_calendly_time(type.updated_at)}};
}

}  // namespace calrt::testing::fake
