#include "testing/fake_calendly/organization_seed.hpp"

#include <cctype>
#include <cstdio>

namespace calrt::testing::fake {
namespace {

using namespace std::chrono;

TimePoint fixed_date(int y, unsigned m, unsigned d, int hour) {
    return sys_days{year{y} / month{m} / day{d}} + hours{hour};
}

// "Dana Whitfield" -> "dana.whitfield@example.com"
std::string email_of(std::string_view slug) {
    std::string local(slug);
    for (char& c : local) c = c == '-' ? '.' : c;
    return local + "@example.com";
}

struct SandboxMemberSeed {
    const char* name;
    const char* slug;
    const char* timezone;
    const char* role;
};

constexpr SandboxMemberSeed kSandboxMembers[] = {
    {"Dana Whitfield", "dana-whitfield", "America/Chicago", "user"},
    {"Priya Natarajan", "priya-natarajan", "Europe/London", "user"},
    {"Marcus Bell", "marcus-bell", "America/Los_Angeles", "admin"},
};

void add_member_with_meeting(CalendarStore& store, ResourceIds& ids, MemberRecord member) {
    const auto meeting = thirty_minute_meeting(ids, member.user.uuid, member.membership_created_at);
    store.add_member(std::move(member));
    store.add_event_type(meeting);
}

void seed_sandbox_team(CalendarStore& store, ResourceIds& ids, const HostUser& host) {
    std::vector<std::string> member_uuids;
    unsigned month = 5;
    for (const auto& seed : kSandboxMembers) {
        auto member = new_member(ids, seed.name, seed.slug, seed.timezone, seed.role,
                                 fixed_date(2022, month++, 2, 15));
        member_uuids.push_back(member.user.uuid);
        add_member_with_meeting(store, ids, std::move(member));
    }
    const auto& dana = member_uuids[0];
    const auto& priya = member_uuids[1];
    const auto& marcus = member_uuids[2];
    const TimePoint created = fixed_date(2023, 3, 1, 10);

    // Many round robin types have no location specification: Calendly renders `locations` null.
    auto sales_demo = team_event_type(
        ids, "Sales demo", "sales-demo", 30, "round_robin", {dana, priya, marcus}, ids.uuid(),
        "Sales", "A 30-minute product demo with someone from our sales team.", created);
    sales_demo.locations = nullptr;
    store.add_event_type(std::move(sales_demo));
    store.add_event_type(team_event_type(
        ids, "Panel interview", "panel-interview", 45, "collective", {host.uuid, dana, priya},
        ids.uuid(), "Recruiting", "A 45-minute interview with our hiring panel.", created));
}

void seed_generated_members(CalendarStore& store, ResourceIds& ids,
                            const FakeCalendlyOptions& options) {
    const TimePoint first_joined = fixed_date(2023, 1, 2, 9);
    std::vector<std::string> round_robin_hosts;
    for (std::size_t i = 0; i < options.generated_members; ++i) {
        char name[32];
        char slug[32];
        std::snprintf(name, sizeof name, "Member %04zu", i + 1);
        std::snprintf(slug, sizeof slug, "member-%04zu", i + 1);
        // A minute apart: membership order is creation order.
        auto member = new_member(ids, name, slug, "America/New_York", "user",
                                 first_joined + minutes(static_cast<long>(i)));
        for (std::size_t t = 0; t < options.event_types_per_generated_member; ++t) {
            char type_name[64];
            char type_slug[32];
            std::snprintf(type_name, sizeof type_name, "%s Meeting %02zu", name, t + 1);
            std::snprintf(type_slug, sizeof type_slug, "meeting-%02zu", t + 1);
            EventTypeRecord type;
            type.uuid = ids.uuid();
            type.name = type_name;
            type.slug = type_slug;
            type.color = "#8247f5";
            type.description = "A meeting with " + member.user.name + ".";
            type.duration_minutes = 30;
            type.position = static_cast<int>(t);
            type.owner_uuid = member.user.uuid;
            type.created_at = type.updated_at = member.membership_created_at;
            store.add_event_type(std::move(type));
        }
        if (round_robin_hosts.size() < options.round_robin_hosts)
            round_robin_hosts.push_back(member.user.uuid);
        store.add_member(std::move(member));
    }
    if (options.round_robin_hosts > 0) {
        auto sales_demo = team_event_type(
            ids, "Sales demo", "sales-demo", 30, "round_robin", std::move(round_robin_hosts),
            ids.uuid(), "Sales", "A 30-minute product demo with someone from our sales team.",
            first_joined);
        sales_demo.locations = nullptr;
        store.add_event_type(std::move(sales_demo));
    }
}

}  // namespace

std::string slug_of(std::string_view name) {
    std::string slug;
    for (const char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    return slug;
}

MemberRecord new_member(ResourceIds& ids, std::string name, std::string slug, std::string timezone,
                        std::string role, TimePoint joined) {
    MemberRecord member;
    member.user.uuid = ids.uuid();
    member.user.email = email_of(slug);
    member.user.name = std::move(name);
    member.user.slug = std::move(slug);
    member.user.timezone = std::move(timezone);
    member.user.created_at = member.user.updated_at = joined;
    member.role = std::move(role);
    member.membership_uuid = ids.uuid();
    member.membership_created_at = member.membership_updated_at = joined;
    return member;
}

EventTypeRecord thirty_minute_meeting(ResourceIds& ids, const std::string& owner_uuid,
                                      TimePoint created) {
    EventTypeRecord type;
    type.uuid = ids.uuid();
    type.name = "30 Minute Meeting";
    type.slug = "30min";
    type.color = "#8247f5";
    type.description = "A short meeting to get to know each other.";
    type.duration_minutes = 30;
    type.owner_uuid = owner_uuid;
    type.created_at = type.updated_at = created;
    return type;
}

EventTypeRecord team_event_type(ResourceIds& ids, std::string name, std::string slug, int minutes,
                                std::string pooling_type, std::vector<std::string> host_uuids,
                                std::string team_uuid, std::string team_name,
                                std::string description, TimePoint created) {
    EventTypeRecord type;
    type.uuid = ids.uuid();
    type.name = std::move(name);
    type.slug = std::move(slug);
    type.color = "#0069ff";
    type.description = std::move(description);
    type.duration_minutes = minutes;
    type.pooling_type = std::move(pooling_type);
    type.host_uuids = std::move(host_uuids);
    type.team_uuid = std::move(team_uuid);
    type.team_slug = slug_of(team_name);
    type.team_name = std::move(team_name);
    type.created_at = type.updated_at = created;
    return type;
}

void seed_organization(CalendarStore& store, const FakeCalendlyOptions& options) {
    ResourceIds ids(0x0E6A2A7EULL);  // fixed, and not the host's sequence (seed_data.cpp)
    const HostUser host = store.host();
    MemberRecord token_user;
    token_user.user = host;
    token_user.role = options.token_role;
    token_user.membership_uuid = ids.uuid();
    token_user.membership_created_at = host.created_at;
    token_user.membership_updated_at = host.updated_at;
    store.add_member(std::move(token_user));
    if (options.sandbox_team) seed_sandbox_team(store, ids, host);
    seed_generated_members(store, ids, options);
}

}  // namespace calrt::testing::fake
