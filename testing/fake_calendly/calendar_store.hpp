#pragma once
// The fake organization's calendar: its members, event types (personal and team), scheduled events
// with their invitees and hosts, single-use scheduling links, and the log of what was booked and
// canceled through the fake. The token's user (the seeded host) is one of the members. Thread-safe:
// the fake's server runs handlers on several threads.

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "testing/fake_calendly/availability.hpp"
#include "testing/fake_calendly/calendly_errors.hpp"
#include "testing/fake_calendly/observations.hpp"
#include "testing/fake_calendly/organization_roster.hpp"
#include "testing/fake_calendly/records.hpp"
#include "testing/fake_calendly/resource_ids.hpp"
#include "testing/fake_calendly/resource_uris.hpp"

namespace calrt::testing::fake {

struct BookingRequest {
    std::string event_type_uuid;
    TimePoint start;
    InviteeRecord invitee;  // name, email, timezone, ... as given; the store fills ids and times
    std::string source;     // "api" or "scheduling_link"
    // POST /invitees' `location` as checked by booking_checks: empty kind means the type's first
    // location (a booking page's invitee picks it there).
    std::string location_kind;
    std::string location;
};

struct BookingOutcome {
    ScheduledEventRecord event;  // with the new invitee
    InviteeRecord invitee;
};

// What removing a member changed, for the event_type.* webhooks.
struct MemberRemoval {
    std::vector<EventTypeRecord> deleted_types;  // its personal types
    std::vector<EventTypeRecord> updated_types;  // team types it no longer hosts
};

struct CancellationOutcome {
    ScheduledEventRecord event;  // canceled, with its invitees canceled
    CancellationRecord cancellation;
};

class CalendarStore {
  public:
    explicit CalendarStore(WorkingHours hours);

    // Seeding (before the fake serves requests): the token's user first, then what it owns.
    void set_host(HostUser host);
    // A personal type without an owner is the token user's.
    void add_event_type(EventTypeRecord event_type);
    // An event without hosts is the token user's.
    void add_scheduled_event(ScheduledEventRecord event);
    void add_member(MemberRecord member);

    HostUser host() const;  // the token's user
    const WorkingHours& working_hours() const { return hours_; }
    std::vector<EventTypeRecord> event_types() const;
    std::optional<EventTypeRecord> event_type(std::string_view uuid) const;
    std::vector<ScheduledEventRecord> scheduled_events() const;
    std::optional<ScheduledEventRecord> scheduled_event(std::string_view uuid) const;

    // Current members in membership order; one current member by user UUID or slug.
    std::vector<MemberRecord> members() const;
    std::optional<MemberRecord> member(std::string_view user_uuid) const;
    std::optional<MemberRecord> member_by_slug(std::string_view slug) const;
    // The user a personal type belongs to (the token's user for a team type, which has none).
    HostUser owner_of(const EventTypeRecord& event_type) const;
    // The users hosting `event`, former members included, in its order.
    std::vector<HostUser> hosts_of(const ScheduledEventRecord& event) const;
    // The members a booking of `event_type` may be assigned: its owner, or its team's hosts.
    static std::vector<std::string> candidate_hosts(const EventTypeRecord& event_type);

    // Ends a membership: the member's personal types are deleted and it stops hosting team types.
    // nullopt when `user_uuid` is not a current member.
    std::optional<MemberRemoval> remove_member(std::string_view user_uuid, TimePoint now);
    std::optional<EventTypeRecord> rename_event_type(std::string_view uuid, std::string name,
                                                     TimePoint now);

    // Open starts for `event_type` in [from, to): for a round robin, the starts when any host is
    // free; otherwise (its owner, or a collective's hosts) when all of them are.
    std::vector<TimePoint> open_slots(const EventTypeRecord& event_type, TimePoint from,
                                      TimePoint to, TimePoint now) const;
    // The invitees that may still book `event_type` at `start`: its limit, less those in a group
    // meeting already there.
    std::size_t places_left(const EventTypeRecord& event_type, TimePoint start) const;
    // The active meetings `user_uuid` hosts overlapping [from, to), ascending.
    std::vector<ScheduledEventRecord> busy_events(std::string_view user_uuid, TimePoint from,
                                                  TimePoint to) const;

    // Books when the start is still open (checked and taken under one lock).
    CalendlyResult<BookingOutcome> book(BookingRequest request, TimePoint now);
    CalendlyResult<CancellationOutcome> cancel(std::string_view event_uuid, std::string reason,
                                               TimePoint now);

    SchedulingLinkRecord create_link(std::string event_type_uuid, TimePoint now);
    std::optional<SchedulingLinkRecord> link(std::string_view id) const;
    // Books through a single-use link and marks it used; a used link is 404, as Calendly's page is.
    CalendlyResult<BookingOutcome> book_with_link(std::string_view link_id, BookingRequest request,
                                                  TimePoint now, std::string booking_url);

    std::vector<FakeBooking> bookings(const ResourceUris& uris) const;
    std::vector<FakeCancellation> cancellations(const ResourceUris& uris) const;

    ResourceIds& ids() { return ids_; }

  private:
    struct BookingLogEntry {
        std::string event_uuid;
        std::string invitee_uuid;
        BookingRequest request;
        std::string booking_url;
        std::size_t sequence = 0;
        std::vector<std::string> host_uuids{};  // the hosts the booking was assigned
    };
    struct CancellationLogEntry {
        std::string event_uuid;
        CancellationRecord cancellation;
        std::size_t sequence = 0;
    };

    CalendlyResult<BookingOutcome> book_locked(BookingRequest request, TimePoint now,
                                               std::string booking_url);
    // `member_uuid`'s busy times for booking `event_type`: every active meeting it hosts, except
    // the ones of a group type that `event_type` is, while they have room (more invitees may join).
    std::vector<BusyInterval> busy_intervals_locked(const EventTypeRecord& event_type,
                                                    std::string_view member_uuid) const;
    // The candidate hosts free for a meeting of `event_type` at `start`, in host order.
    std::vector<std::string> free_hosts_locked(const EventTypeRecord& event_type, TimePoint start,
                                               TimePoint now) const;
    // Who hosts a new meeting at `start`; empty when the start is not open.
    std::vector<std::string> assign_hosts_locked(const EventTypeRecord& event_type, TimePoint start,
                                                 TimePoint now);
    HostUser user_locked(std::string_view user_uuid) const;
    EventTypeRecord* find_type_locked(std::string_view uuid);
    void reindex_types_locked();

    const WorkingHours hours_;
    ResourceIds ids_;
    mutable std::mutex mutex_;
    HostUser host_;
    OrganizationRoster roster_;
    std::vector<EventTypeRecord> event_types_;
    // Event types by UUID: an organization has thousands and each request looks up one.
    std::unordered_map<std::string, std::size_t> type_index_;
    // A round robin's turns: per type, per host, when it was last assigned (0: never), so the
    // next booking goes to the free host assigned least recently.
    std::map<std::string, std::map<std::string, std::size_t>, std::less<>> last_assigned_;
    std::size_t assignments_ = 0;
    std::vector<ScheduledEventRecord> events_;
    std::vector<SchedulingLinkRecord> links_;
    std::vector<BookingLogEntry> booking_log_;
    std::vector<CancellationLogEntry> cancellation_log_;
    std::size_t changes_ = 0;  // bookings and cancellations made, counted together
};

}  // namespace calrt::testing::fake
