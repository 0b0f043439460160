#include "testing/fake_calendly/seed_data.hpp"

#include <algorithm>

#include "testing/fake_calendly/varied_event_types.hpp"

namespace calrt::testing::fake {
namespace {

using namespace std::chrono;

// The first weekday on or after `day` (UTC), at `hour`:00 UTC.
TimePoint weekday_at(sys_days day, int hour) {
    while (weekday{day}.c_encoding() == 0 || weekday{day}.c_encoding() == 6) day += days{1};
    return day + hours{hour};
}

TimePoint fixed_date(int y, unsigned m, unsigned d, int hour) {
    return sys_days{year{y} / month{m} / day{d}} + hours{hour};
}

struct EventTypeSeed {
    const char* name;
    const char* slug;
    int minutes;
    const char* color;
    const char* description;
    bool active;
};

// Five active types so that a client asking for count=2 sees three pages.
constexpr EventTypeSeed kEventTypes[] = {
    {"15 Minute Meeting", "15min", 15, "#0069ff", "A quick call to answer a question.", true},
    {"30 Minute Meeting", "30min", 30, "#8247f5", "A short meeting to get to know each other.",
     true},
    {"45 Minute Consultation", "45min-consultation", 45, "#17e885",
     "A consultation about your project.", true},
    {"60 Minute Strategy Session", "60min-strategy", 60, "#ff4f00", "An in-depth planning session.",
     true},
    {"Product Demo", "product-demo", 30, "#e55cff", "A guided tour of the product.", true},
    {"Office Hours (retired)", "office-hours", 60, "#ffa600",
     "Open office hours; no longer offered.", false},
};

InviteeRecord invitee(ResourceIds& ids, std::string name, std::string email, std::string timezone,
                      TimePoint created) {
    InviteeRecord record;
    record.uuid = ids.uuid();
    record.name = std::move(name);
    record.email = std::move(email);
    record.timezone = std::move(timezone);
    record.created_at = record.updated_at = created;
    return record;
}

ScheduledEventRecord meeting(ResourceIds& ids, const EventTypeRecord& type, TimePoint start,
                             InviteeRecord guest) {
    ScheduledEventRecord event;
    event.uuid = ids.uuid();
    event.event_type_uuid = type.uuid;
    event.name = type.name;
    event.location_kind = type.locations.front().value("kind", "");
    event.join_url = "https://meet.google.com/" + ids.hex(3) + "-" + ids.hex(4) + "-" + ids.hex(3);
    event.start = start;
    event.end = start + minutes(type.duration_minutes);
    event.created_at = event.updated_at = guest.created_at;
    event.invitees.push_back(std::move(guest));
    return event;
}

}  // namespace

SeededIds seed_calendar(CalendarStore& store, const std::string& host_timezone, TimePoint now,
                        bool varied_event_types) {
    ResourceIds ids(0xCA1E4D1AULL);  // fixed: the same identifiers on every run
    SeededIds seeded;

    HostUser host;
    host.uuid = seeded.host_uuid = ids.uuid();
    host.organization_uuid = ids.uuid();
    host.name = "Alex Rivera";
    host.slug = kHostSlug;
    host.email = "alex.rivera@example.com";
    host.timezone = host_timezone;
    host.created_at = fixed_date(2021, 3, 15, 16);
    host.updated_at = fixed_date(2024, 1, 9, 11);
    store.set_host(host);

    std::vector<EventTypeRecord> types;
    int position = 0;
    for (const auto& seed : kEventTypes) {
        EventTypeRecord type;
        type.uuid = ids.uuid();
        type.name = seed.name;
        type.slug = seed.slug;
        type.duration_minutes = seed.minutes;
        type.color = seed.color;
        type.description = seed.description;
        type.active = seed.active;
        type.position = position++;
        type.created_at = fixed_date(2021, 3, 15 + static_cast<unsigned>(position), 17);
        type.updated_at = fixed_date(2024, 2, 1, 9);
        store.add_event_type(type);
        types.push_back(type);
        if (!type.active) seeded.inactive_event_type_uuid = type.uuid;
    }
    std::vector<EventTypeRecord> by_name = types;
    std::sort(by_name.begin(), by_name.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const auto& type : by_name) {
        if (type.active) seeded.active_event_type_uuids.push_back(type.uuid);
    }

    const auto today = floor<days>(now);
    const auto& fifteen = types[0];
    const auto& thirty = types[1];
    const auto& forty_five = types[2];
    const auto& sixty = types[3];

    // A meeting that took place last week.
    auto past = meeting(
        ids, thirty, weekday_at(today - days{8}, 15),
        invitee(ids, "Jordan Lee", "jordan.lee@example.com", "America/Chicago", now - days{12}));
    seeded.past_event_uuid = past.uuid;
    store.add_scheduled_event(past);

    // Another past meeting, earlier this week or last.
    store.add_scheduled_event(meeting(
        ids, fifteen, weekday_at(today - days{4}, 18),
        invitee(ids, "Morgan Diaz", "morgan.diaz@example.com", "Europe/London", now - days{6})));

    // Upcoming: blocks 15:00-15:30 UTC two weekdays out.
    const auto upcoming_day = weekday_at(today + days{2}, 0);
    auto upcoming = meeting(
        ids, thirty, upcoming_day + hours{15},
        invitee(ids, "Sam Patel", "sam.patel@example.com", "America/New_York", now - days{1}));
    seeded.upcoming_event_uuid = upcoming.uuid;
    store.add_scheduled_event(upcoming);

    // Upcoming but canceled by the invitee: its slot is open again.
    auto canceled = meeting(
        ids, sixty, upcoming_day + hours{17},
        invitee(ids, "Riley Chen", "riley.chen@example.com", "America/Los_Angeles", now - days{3}));
    const CancellationRecord by_invitee{"Riley Chen", "Schedule conflict", "invitee",
                                        now - days{1}};
    canceled.status = "canceled";
    canceled.cancellation = by_invitee;
    canceled.invitees.front().status = "canceled";
    canceled.invitees.front().cancellation = by_invitee;
    canceled.updated_at = canceled.invitees.front().updated_at = by_invitee.created_at;
    seeded.canceled_event_uuid = canceled.uuid;
    store.add_scheduled_event(canceled);

    store.add_scheduled_event(
        meeting(ids, forty_five, weekday_at(floor<days>(upcoming_day) + days{1}, 19),
                invitee(ids, "Taylor Kim", "taylor.kim@example.com", "Asia/Tokyo", now - days{2})));
    // Last, so that the identifiers above stay the same with or without them.
    if (varied_event_types) {
        seed_varied_event_types(store, ids, static_cast<int>(types.size()),
                                fixed_date(2024, 2, 1, 9));
    }
    return seeded;
}

}  // namespace calrt::testing::fake
