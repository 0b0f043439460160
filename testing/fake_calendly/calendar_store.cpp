#include "testing/fake_calendly/calendar_store.hpp"

#include <algorithm>

namespace calrt::testing::fake {
namespace {

template <class Records>
auto find_by_uuid(Records& records, std::string_view uuid) {
    return std::find_if(records.begin(), records.end(),
                        [uuid](const auto& r) { return r.uuid == uuid; });
}

bool contains(const std::vector<std::string>& values, std::string_view value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

CalendarStore::CalendarStore(WorkingHours hours) : hours_(hours) {}

void CalendarStore::set_host(HostUser host) {
    std::lock_guard lock(mutex_);
    host_ = std::move(host);
}

void CalendarStore::add_event_type(EventTypeRecord event_type) {
    std::lock_guard lock(mutex_);
    if (!event_type.is_team_type() && event_type.owner_uuid.empty())
        event_type.owner_uuid = host_.uuid;
    type_index_[event_type.uuid] = event_types_.size();
    event_types_.push_back(std::move(event_type));
}

void CalendarStore::add_scheduled_event(ScheduledEventRecord event) {
    std::lock_guard lock(mutex_);
    if (event.host_uuids.empty()) event.host_uuids = {host_.uuid};
    events_.push_back(std::move(event));
}

void CalendarStore::add_member(MemberRecord member) {
    std::lock_guard lock(mutex_);
    if (member.user.organization_uuid.empty())
        member.user.organization_uuid = host_.organization_uuid;
    roster_.add(std::move(member));
}

HostUser CalendarStore::host() const {
    std::lock_guard lock(mutex_);
    return host_;
}

std::vector<EventTypeRecord> CalendarStore::event_types() const {
    std::lock_guard lock(mutex_);
    return event_types_;
}

EventTypeRecord* CalendarStore::find_type_locked(std::string_view uuid) {
    const auto it = type_index_.find(std::string(uuid));
    return it == type_index_.end() ? nullptr : &event_types_[it->second];
}

void CalendarStore::reindex_types_locked() {
    type_index_.clear();
    for (std::size_t i = 0; i < event_types_.size(); ++i) type_index_[event_types_[i].uuid] = i;
}

std::optional<EventTypeRecord> CalendarStore::event_type(std::string_view uuid) const {
    std::lock_guard lock(mutex_);
    const auto it = type_index_.find(std::string(uuid));
    if (it == type_index_.end()) return std::nullopt;
    return event_types_[it->second];
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

std::vector<MemberRecord> CalendarStore::members() const {
    std::lock_guard lock(mutex_);
    return roster_.current();
}

std::optional<MemberRecord> CalendarStore::member(std::string_view user_uuid) const {
    std::lock_guard lock(mutex_);
    const MemberRecord* member = roster_.find_current(user_uuid);
    if (!member) return std::nullopt;
    return *member;
}

std::optional<MemberRecord> CalendarStore::member_by_slug(std::string_view slug) const {
    std::lock_guard lock(mutex_);
    const MemberRecord* member = roster_.find_by_slug(slug);
    if (!member) return std::nullopt;
    return *member;
}

HostUser CalendarStore::user_locked(std::string_view user_uuid) const {
    if (const MemberRecord* member = roster_.find(user_uuid)) return member->user;
    return host_;  // during seeding, before the token user's membership exists
}

HostUser CalendarStore::owner_of(const EventTypeRecord& event_type) const {
    std::lock_guard lock(mutex_);
    return event_type.is_team_type() ? host_ : user_locked(event_type.owner_uuid);
}

std::vector<HostUser> CalendarStore::hosts_of(const ScheduledEventRecord& event) const {
    std::lock_guard lock(mutex_);
    std::vector<HostUser> hosts;
    for (const auto& uuid : event.host_uuids) hosts.push_back(user_locked(uuid));
    return hosts;
}

std::vector<std::string> CalendarStore::candidate_hosts(const EventTypeRecord& event_type) {
    if (event_type.is_team_type()) return event_type.host_uuids;
    return {event_type.owner_uuid};
}

std::optional<MemberRemoval> CalendarStore::remove_member(std::string_view user_uuid,
                                                          TimePoint now) {
    std::lock_guard lock(mutex_);
    if (!roster_.remove(user_uuid, now)) return std::nullopt;
    MemberRemoval removal;
    std::vector<EventTypeRecord> kept;
    kept.reserve(event_types_.size());
    for (auto& type : event_types_) {
        if (!type.is_team_type() && type.owner_uuid == user_uuid) {
            removal.deleted_types.push_back(std::move(type));
            continue;
        }
        if (type.is_team_type() && contains(type.host_uuids, user_uuid)) {
            std::erase(type.host_uuids, std::string(user_uuid));
            type.updated_at = now;
            removal.updated_types.push_back(type);
        }
        kept.push_back(std::move(type));
    }
    event_types_ = std::move(kept);
    reindex_types_locked();
    return removal;
}

std::optional<EventTypeRecord> CalendarStore::rename_event_type(std::string_view uuid,
                                                                std::string name, TimePoint now) {
    std::lock_guard lock(mutex_);
    EventTypeRecord* type = find_type_locked(uuid);
    if (!type) return std::nullopt;
    type->name = std::move(name);
    type->updated_at = now;
    return *type;
}

std::vector<BusyInterval> CalendarStore::busy_intervals_locked(const EventTypeRecord& event_type,
                                                               std::string_view member_uuid) const {
    std::vector<BusyInterval> busy;
    for (const auto& event : events_) {
        if (event.status != "active" || !contains(event.host_uuids, member_uuid)) continue;
        const bool joinable = event.event_type_uuid == event_type.uuid &&
                              event.active_invitees() < static_cast<std::size_t>(event.invitees_limit);
        if (!joinable) busy.push_back({event.start, event.end});
    }
    return busy;
}

std::vector<TimePoint> CalendarStore::open_slots(const EventTypeRecord& event_type, TimePoint from,
                                                 TimePoint to, TimePoint now) const {
    if (!event_type.active) return {};
    const auto duration = std::chrono::minutes(event_type.duration_minutes);
    const auto hosts = candidate_hosts(event_type);
    if (hosts.empty()) return {};
    std::lock_guard lock(mutex_);
    if (event_type.pooling_type == "round_robin") {
        // Open when any host is open: the union of each host's open starts.
        std::vector<TimePoint> any_host;
        for (const auto& host : hosts) {
            const auto own = fake::open_slots(hours_, duration, from, to, now,
                                              busy_intervals_locked(event_type, host));
            any_host.insert(any_host.end(), own.begin(), own.end());
        }
        std::sort(any_host.begin(), any_host.end());
        any_host.erase(std::unique(any_host.begin(), any_host.end()), any_host.end());
        return any_host;
    }
    // The owner, or every host of a collective: busy whenever any of them is.
    std::vector<BusyInterval> busy;
    for (const auto& host : hosts) {
        const auto own = busy_intervals_locked(event_type, host);
        busy.insert(busy.end(), own.begin(), own.end());
    }
    return fake::open_slots(hours_, duration, from, to, now, busy);
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

std::vector<ScheduledEventRecord> CalendarStore::busy_events(std::string_view user_uuid,
                                                             TimePoint from, TimePoint to) const {
    std::vector<ScheduledEventRecord> busy;
    {
        std::lock_guard lock(mutex_);
        for (const auto& event : events_) {
            if (event.status == "active" && event.start < to && from < event.end &&
                contains(event.host_uuids, user_uuid))
                busy.push_back(event);
        }
    }
    std::sort(busy.begin(), busy.end(),
              [](const auto& a, const auto& b) { return a.start < b.start; });
    return busy;
}

std::vector<std::string> CalendarStore::free_hosts_locked(const EventTypeRecord& event_type,
                                                          TimePoint start, TimePoint now) const {
    const auto duration = std::chrono::minutes(event_type.duration_minutes);
    std::vector<std::string> free;
    for (const auto& host : candidate_hosts(event_type)) {
        if (is_open_slot(hours_, duration, start, now, busy_intervals_locked(event_type, host)))
            free.push_back(host);
    }
    return free;
}

std::vector<std::string> CalendarStore::assign_hosts_locked(const EventTypeRecord& event_type,
                                                            TimePoint start, TimePoint now) {
    const auto hosts = candidate_hosts(event_type);
    auto free = free_hosts_locked(event_type, start, now);
    if (free.empty()) return {};
    if (event_type.pooling_type != "round_robin") {
        // The owner, or a collective's hosts: all of them attend, so all must be free.
        return free.size() == hosts.size() ? free : std::vector<std::string>{};
    }
    // Round robin: the free host assigned least recently for this type (never: first), ties by
    // the team's host order.
    auto& turns = last_assigned_[event_type.uuid];
    const std::string* chosen = nullptr;
    std::size_t chosen_turn = 0;
    for (const auto& host : free) {
        const auto it = turns.find(host);
        const std::size_t turn = it == turns.end() ? 0 : it->second;
        if (!chosen || turn < chosen_turn) {
            chosen = &host;
            chosen_turn = turn;
        }
    }
    turns[*chosen] = ++assignments_;
    return {*chosen};
}

CalendlyResult<BookingOutcome> CalendarStore::book(BookingRequest request, TimePoint now) {
    std::lock_guard lock(mutex_);
    return book_locked(std::move(request), now, {});
}

CalendlyResult<BookingOutcome> CalendarStore::book_locked(BookingRequest request, TimePoint now,
                                                          std::string booking_url) {
    EventTypeRecord* const type = find_type_locked(request.event_type_uuid);
    if (!type) return resource_not_found();
    if (!type->active) return invalid_parameter("event_type", "The event type is not active.");
    const auto duration = std::chrono::minutes(type->duration_minutes);
    const auto unavailable = [] {
        return invalid_parameter("start_time",
                                 "The requested start time is not available for this event type.");
    };
    if (free_hosts_locked(*type, request.start, now).empty()) return unavailable();

    // A group type's meeting at that start with room takes one more invitee, with its hosts.
    const auto joined = std::find_if(events_.begin(), events_.end(), [&](const ScheduledEventRecord& event) {
        return event.status == "active" && event.event_type_uuid == type->uuid && event.start == request.start &&
               event.active_invitees() < static_cast<std::size_t>(event.invitees_limit);
    });
    std::vector<std::string> hosts;
    if (joined == events_.end()) {
        hosts = assign_hosts_locked(*type, request.start, now);
        if (hosts.empty()) return unavailable();
    }

    InviteeRecord invitee = std::move(request.invitee);
    invitee.uuid = ids_.uuid();
    invitee.status = "active";
    invitee.created_at = invitee.updated_at = now;

    if (joined != events_.end()) {
        joined->invitees.push_back(invitee);
        joined->updated_at = now;
        request.invitee = invitee;
        booking_log_.push_back({joined->uuid, invitee.uuid, std::move(request),
                                std::move(booking_url), ++changes_, joined->host_uuids});
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
    event.host_uuids = std::move(hosts);
    events_.push_back(event);

    request.invitee = invitee;
    booking_log_.push_back({event.uuid, invitee.uuid, std::move(request), std::move(booking_url),
                            ++changes_, event.host_uuids});
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
    const auto host_uris = [&uris](const std::vector<std::string>& uuids) {
        std::vector<std::string> user_uris;
        for (const auto& uuid : uuids) user_uris.push_back(uris.user(uuid));
        return user_uris;
    };
    for (const auto& entry : booking_log_) {
        const auto& invitee = entry.request.invitee;
        out.push_back({uris.scheduled_event(entry.event_uuid),
                       uris.invitee(entry.event_uuid, entry.invitee_uuid),
                       uris.event_type(entry.request.event_type_uuid), entry.request.start,
                       invitee.name, invitee.email, invitee.timezone, entry.request.source,
                       entry.booking_url, entry.request.location_kind, entry.request.location,
                       invitee.questions_and_answers, entry.sequence, invitee.text_reminder_number,
                       host_uris(entry.host_uuids)});
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
