#pragma once
// The sandbox host: one user, six event types (five active, one inactive; 15/30/45/60 minutes) and
// meetings in the past and future, active and canceled, each with an invitee. Identifiers are the
// same on every run; times are relative to "now" so that the upcoming meetings stay upcoming.

#include <string>
#include <vector>

#include "testing/fake_calendly/calendar_store.hpp"

namespace calrt::testing::fake {

// The host's scheduling page is {base}/alex-rivera; routes for its pages are fixed before seeding.
inline constexpr const char* kHostSlug = "alex-rivera";

struct SeededIds {
    std::string host_uuid;
    std::vector<std::string> active_event_type_uuids;  // in Calendly's default order (name:asc)
    std::string inactive_event_type_uuid;
    std::string past_event_uuid;
    std::string upcoming_event_uuid;  // active, blocks its slot
    std::string canceled_event_uuid;  // upcoming, canceled by its invitee
};

// With `varied_event_types`, also the types of varied_event_types.hpp (not in
// active_event_type_uuids, which stays the five every run has).
SeededIds seed_calendar(CalendarStore& store, const std::string& host_timezone, TimePoint now,
                        bool varied_event_types = false);

}  // namespace calrt::testing::fake
