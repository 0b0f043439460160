#pragma once
// The fake host's calendar: event types, scheduled events with their invitees, single-use
// scheduling links, and the log of what was booked and canceled through the fake. Thread-safe: the
// fake's server runs handlers on several threads.

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "testing/fake_calendly/availability.hpp"
#include "testing/fake_calendly/calendly_errors.hpp"
#include "testing/fake_calendly/observations.hpp"
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

struct CancellationOutcome {
    ScheduledEventRecord event;  // canceled, with its invitees canceled
    CancellationRecord cancellation;
};

class CalendarStore {
  public:
    explicit CalendarStore(WorkingHours hours);

    // Seeding, before the fake serves requests.
    void set_host(HostUser host);
    void add_event_type(EventTypeRecord event_type);
    void add_scheduled_event(ScheduledEventRecord event);

    HostUser host() const;
    const WorkingHours& working_hours() const { return hours_; }
    std::vector<EventTypeRecord> event_types() const;
    std::optional<EventTypeRecord> event_type(std::string_view uuid) const;
    std::vector<ScheduledEventRecord> scheduled_events() const;
    std::optional<ScheduledEventRecord> scheduled_event(std::string_view uuid) const;

    // Open starts for `event_type` in [from, to).
    std::vector<TimePoint> open_slots(const EventTypeRecord& event_type, TimePoint from,
                                      TimePoint to, TimePoint now) const;
    // The invitees that may still book `event_type` at `start`: its limit, less those in a group
    // meeting already there.
    std::size_t places_left(const EventTypeRecord& event_type, TimePoint start) const;
    // The host's active meetings overlapping [from, to), ascending.
    std::vector<ScheduledEventRecord> busy_events(TimePoint from, TimePoint to) const;

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
    };
    struct CancellationLogEntry {
        std::string event_uuid;
        CancellationRecord cancellation;
        std::size_t sequence = 0;
    };

    CalendlyResult<BookingOutcome> book_locked(BookingRequest request, TimePoint now,
                                               std::string booking_url);
    // The host's busy times for booking `event_type`: every active meeting, except the ones of a
    // group type that `event_type` is, while they have room (more invitees may join them).
    std::vector<BusyInterval> busy_intervals_locked(const EventTypeRecord& event_type) const;

    const WorkingHours hours_;
    ResourceIds ids_;
    mutable std::mutex mutex_;
    HostUser host_;
    std::vector<EventTypeRecord> event_types_;
    std::vector<ScheduledEventRecord> events_;
    std::vector<SchedulingLinkRecord> links_;
    std::vector<BookingLogEntry> booking_log_;
    std::vector<CancellationLogEntry> cancellation_log_;
    std::size_t changes_ = 0;  // bookings and cancellations made, counted together
};

}  // namespace calrt::testing::fake
