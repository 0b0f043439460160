#pragma once
// The fake's routes, one function per resource group of Calendly's API reference.

#include <memory>

#include "calrt/server/router.hpp"
#include "testing/fake_calendly/fake_state.hpp"

namespace calrt::testing::fake {

// GET /users/me, GET /users/{uuid}
void add_user_routes(server::Router& router, const std::shared_ptr<FakeState>& state);
// GET /event_types, GET /event_types/{uuid}
void add_event_type_routes(server::Router& router, const std::shared_ptr<FakeState>& state);
// GET /organization_memberships, GET /organization_memberships/{uuid}, GET /event_type_memberships
void add_organization_routes(server::Router& router, const std::shared_ptr<FakeState>& state);
// GET /event_type_available_times, GET /user_busy_times
void add_availability_routes(server::Router& router, const std::shared_ptr<FakeState>& state);
// GET /scheduled_events, GET /scheduled_events/{uuid}, GET .../invitees, GET .../invitees/{uuid},
// POST /scheduled_events/{uuid}/cancellation
void add_scheduled_event_routes(server::Router& router, const std::shared_ptr<FakeState>& state);
// POST /scheduling_links, POST /invitees
void add_scheduling_routes(server::Router& router, const std::shared_ptr<FakeState>& state);
// POST/GET /webhook_subscriptions, GET/DELETE /webhook_subscriptions/{uuid}
void add_webhook_subscription_routes(server::Router& router,
                                     const std::shared_ptr<FakeState>& state);
// The HTML booking pages: single-use links (/d/{link}/{slug}) and the host's event type pages.
void add_booking_page_routes(server::Router& router, const std::shared_ptr<FakeState>& state);
// GET /_fake/changes: the fake's own test-only view (not Calendly's API) of what was booked and
// cancelled through it, in order.
void add_inspection_routes(server::Router& router, const std::shared_ptr<FakeState>& state);

}  // namespace calrt::testing::fake
