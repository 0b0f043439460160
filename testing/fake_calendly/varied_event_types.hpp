#pragma once
// Active event types with each location kind Calendly documents and with required custom
// questions (FakeCalendlyOptions::varied_event_types), so the sandbox and tests meet what real
// hosts configure: a phone call the host places, an address, an invitee's own place, questions.

#include "testing/fake_calendly/calendar_store.hpp"

namespace calrt::testing::fake {

// Adds them after the seeded types, positions from `first_position` on.
void seed_varied_event_types(CalendarStore& store, ResourceIds& ids, int first_position,
                             TimePoint created);

}  // namespace calrt::testing::fake
