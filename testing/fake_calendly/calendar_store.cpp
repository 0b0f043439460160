#include "testing/fake_calendly/calendar_store.hpp"

#include <algorithm>

namespace calrt::testing::fake {
namespace {

template <class Records>
auto find_by_uuid(Records& records, std::string_view uuid) {
    return std::find_if(records.begin(), records.end(),
                        [uuid](const auto& r) { return r.uuid == uuid; });
}

}  // namespace

CalendarStore::CalendarStore(WorkingHours hours) : hours_(hours) {}

void CalendarStore::set_host(HostUser host) {
    std::lock_guard lock(mutex_);
    host_ = std::move(host);
}

void CalendarStore::add_event_type(EventTypeRecord event_type) {
    std::lock_guard lock(mutex_);
    event_types_.push_back(std::move(event_type));
}

void CalendarStore::add_scheduled_event(ScheduledEventRecord event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
}

HostUser CalendarStore::host() const {
    std::lock_guard lock(mutex_);
    return host_;
}

std::vector<EventTypeRecord> CalendarStore::event_types() const {
    std::lock_guard lock(mutex_);
    return event_types_;
}

std::optional<EventTypeRecord> CalendarStore::event_type(std::string_view uuid) const {
    std::lock_guard lock(mutex_);
    const auto it = find_by_uuid(event_types_, uuid);
    if (it == event_types_.end()) return std::nullopt;
    return *it;
}

std::vector<ScheduledEventRecord> CalendarStore::scheduled_events() const {
    std::lock_guard lock(mutex_);
    return events_;
}

std::optional<ScheduledEventRecord> CalendarStore::scheduled_event(std::string_view uuid) const {
    std::lock_guard lock(mutex_);
    const auto it = find_by_uuid(events_, uuid);
    if (it == events_.end()) return std::nullopt;
    return *it;
}

std::vector<BusyInterval> CalendarStore::busy_intervals_locked(const EventTypeRecord& event_type) const {
    std::vector<BusyInterval> busy;
    for (const auto& event : events_) {
        if (event.status != "active") continue;
        const bool joinable = event.event_type_uuid == event_type.uuid &&
                              event.active_invitees() < static_cast<std::size_t>(event.invitees_limit);
        if (!joinable) busy.push_back({event.start, event.end});
    }
    return busy;
}

std::vector<TimePoint> CalendarStore::open_slots(const EventTypeRecord& event_type, TimePoint from,
                                                 TimePoint to, TimePoint now) const {
    if (!event_type.active) return {};
    std::lock_guard lock(mutex_);
    return fake::open_slots(hours_, std::chrono::minutes(event_type.duration_minutes), from, to,
                            now, busy_intervals_locked(event_type));
}

std::size_t CalendarStore::places_left(const EventTypeRecord& event_type, TimePoint start) const {
    const auto limit = static_cast<std::size_t>(std::max(event_type.invitees_limit, 1));
    std::lock_guard lock(mutex_);
    for (const auto& event : events_) {
        if (event.status == "active" && event.event_type_uuid == event_type.uuid && event.start == start) {
            return limit - std::min(limit, event.active_invitees());
        }
    }
    return limit;
}

std::vector<ScheduledEventRecord> CalendarStore::busy_events(TimePoint from, TimePoint to) const {
    std::vector<ScheduledEventRecord> busy;
    {
        std::lock_guard lock(mutex_);
        for (const auto& event : events_) {
            if (event.status == "active" && event.start < to && from < event.end)
                busy.push_back(event);
        }
    }
    std::sort(busy.begin(), busy.end(),
              [](const auto& a, const auto& b) { return a.start < b.start; });
    return busy;
}

CalendlyResult<BookingOutcome> CalendarStore::book(BookingRequest request, TimePoint now) {
    std::lock_guard lock(mutex_);
    return book_locked(std::move(request), now, {});
}

CalendlyResult<BookingOutcome> CalendarStore::book_locked(BookingRequest request, TimePoint now,
                                                          std::string booking_url) {
    const auto type = find_by_uuid(event_types_, request.event_type_uuid);
    if (type == event_types_.end()) return resource_not_found();
    if (!type->active) return invalid_parameter("event_type", "The event type is not active.");
    const auto duration = std::chrono::minutes(type->duration_minutes);
    if (!is_open_slot(hours_, duration, request.start, now, busy_intervals_locked(*type))) {
        return invalid_parameter("start_time",
                                 "The requested start time is not available for this event type.");
    }

    InviteeRecord invitee = std::move(request.invitee);
    invitee.uuid = ids_.uuid();
    invitee.status = "active";
    invitee.created_at = invitee.updated_at = now;

    // A group type's meeting at that start with room takes one more invitee.
    const auto joined = std::find_if(events_.begin(), events_.end(), [&](const ScheduledEventRecord& event) {
        return event.status == "active" && event.event_type_uuid == type->uuid && event.start == request.start &&
               event.active_invitees() < static_cast<std::size_t>(event.invitees_limit);
    });
    if (joined != events_.end()) {
        joined->invitees.push_back(invitee);
        joined->updated_at = now;
        request.invitee = invitee;
        booking_log_.push_back({joined->uuid, invitee.uuid, std::move(request), std::move(booking_url), ++changes_});
        return BookingOutcome{*joined, std::move(invitee)};
    }

    ScheduledEventRecord event;
    event.uuid = ids_.uuid();
    event.event_type_uuid = type->uuid;
    event.name = type->name;
    event.location_kind = request.location_kind;
    if (event.location_kind.empty() && type->locations.is_array() && !type->locations.empty())
        event.location_kind = type->locations.front().value("kind", "");
    event.location = request.location;
    if (event.location_kind.ends_with("_conference")) {
        event.join_url =
            "https://meet.google.com/" + ids_.hex(3) + "-" + ids_.hex(4) + "-" + ids_.hex(3);
    }
    event.start = request.start;
    event.end = request.start + duration;
    event.created_at = event.updated_at = now;
    event.invitees.push_back(invitee);
    event.invitees_limit = type->invitees_limit;
    events_.push_back(event);

    request.invitee = invitee;
    booking_log_.push_back({event.uuid, invitee.uuid, std::move(request), std::move(booking_url), ++changes_});
    return BookingOutcome{std::move(event), std::move(invitee)};
}

CalendlyResult<CancellationOutcome> CalendarStore::cancel(std::string_view event_uuid,
                                                          std::string reason, TimePoint now) {
    std::lock_guard lock(mutex_);
    const auto event = find_by_uuid(events_, event_uuid);
    if (event == events_.end()) return resource_not_found();
    // The messages Calendly's reference lists for a 403 from POST
    // /scheduled_events/{uuid}/cancellation.
    if (event->status == "canceled") return permission_denied("Event is already canceled");
    if (event->start < now) return permission_denied("Event in the past");

    const CancellationRecord cancellation{host_.name, std::move(reason), "host", now};
    event->status = "canceled";
    event->cancellation = cancellation;
    event->updated_at = now;
    for (auto& invitee : event->invitees) {
        if (invitee.status != "active") continue;
        invitee.status = "canceled";
        invitee.cancellation = cancellation;
        invitee.updated_at = now;
    }
    cancellation_log_.push_back({event->uuid, cancellation, ++changes_});
    return CancellationOutcome{*event, cancellation};
}

SchedulingLinkRecord CalendarStore::create_link(std::string event_type_uuid, TimePoint now) {
    SchedulingLinkRecord link{ids_.link_id(), std::move(event_type_uuid), now, false};
    std::lock_guard lock(mutex_);
    links_.push_back(link);
    return link;
}

std::optional<SchedulingLinkRecord> CalendarStore::link(std::string_view id) const {
    std::lock_guard lock(mutex_);
    const auto it =
        std::find_if(links_.begin(), links_.end(), [id](const auto& l) { return l.id == id; });
    if (it == links_.end()) return std::nullopt;
    return *it;
}

CalendlyResult<BookingOutcome> CalendarStore::book_with_link(std::string_view link_id,
                                                             BookingRequest request, TimePoint now,
                                                             std::string booking_url) {
    std::lock_guard lock(mutex_);
    const auto link = std::find_if(links_.begin(), links_.end(),
                                   [link_id](const auto& l) { return l.id == link_id; });
    if (link == links_.end() || link->used) return resource_not_found();
    request.event_type_uuid = link->event_type_uuid;
    auto outcome = book_locked(std::move(request), now, std::move(booking_url));
    if (outcome) link->used = true;
    return outcome;
}

std::vector<FakeBooking> CalendarStore::bookings(const ResourceUris& uris) const {
    std::lock_guard lock(mutex_);
    std::vector<FakeBooking> out;
    for (const auto& entry : booking_log_) {
        const auto& invitee = entry.request.invitee;
        out.push_back({uris.scheduled_event(entry.event_uuid),
                       uris.invitee(entry.event_uuid, entry.invitee_uuid),
                       uris.event_type(entry.request.event_type_uuid), entry.request.start,
                       invitee.name, invitee.email, invitee.timezone, entry.request.source,
                       entry.booking_url, entry.request.location_kind, entry.request.location,
                       invitee.questions_and_answers, entry.sequence, invitee.text_reminder_number});
    }
    return out;
}

std::vector<FakeCancellation> CalendarStore::cancellations(const ResourceUris& uris) const {
    std::lock_guard lock(mutex_);
    std::vector<FakeCancellation> out;
    for (const auto& entry : cancellation_log_) {
        out.push_back({uris.scheduled_event(entry.event_uuid), entry.cancellation.reason,
                       entry.cancellation.canceled_by, entry.sequence});
    }
    return out;
}

}  // namespace calrt::testing::fake
