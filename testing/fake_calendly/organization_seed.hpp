#pragma once
// The organization around the seeded host: its membership (with the token's role) and, when the
// options ask, a small sandbox team or a large generated organization. Seeded after seed_calendar,
// from an id sequence of its own, so that the host's identifiers are the same with or without it.
// Also the record builders that FakeCalendly's add_member and add_team_event_type share.

#include <string>
#include <string_view>
#include <vector>

#include "testing/fake_calendly/calendar_store.hpp"
#include "testing/fake_calendly/fake_calendly_options.hpp"

namespace calrt::testing::fake {

void seed_organization(CalendarStore& store, const FakeCalendlyOptions& options);

// "Sales" -> "sales", "Customer Success" -> "customer-success": a team's page path.
std::string slug_of(std::string_view name);

MemberRecord new_member(ResourceIds& ids, std::string name, std::string slug, std::string timezone,
                        std::string role, TimePoint joined);
// The member's active "30 Minute Meeting" (slug 30min) every Calendly account starts with.
EventTypeRecord thirty_minute_meeting(ResourceIds& ids, const std::string& owner_uuid,
                                      TimePoint created);
// An active team type; `locations` as Calendly renders it (null: no location specification).
EventTypeRecord team_event_type(ResourceIds& ids, std::string name, std::string slug, int minutes,
                                std::string pooling_type, std::vector<std::string> host_uuids,
                                std::string team_uuid, std::string team_name,
                                std::string description, TimePoint created);

}  // namespace calrt::testing::fake
