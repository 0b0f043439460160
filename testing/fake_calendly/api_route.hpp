#pragma once
// Turns a plain handler into a route with what every Calendly endpoint does first: count the
// request, apply an injected fault, check the Bearer token, and add the X-RateLimit-* headers.

#include <functional>
#include <memory>

#include "calrt/server/router.hpp"
#include "testing/fake_calendly/fake_state.hpp"

namespace calrt::testing::fake {

using FakeHandler = std::function<server::Response(FakeState&, server::Request&)>;

// A Calendly API endpoint: Bearer auth, faults, rate-limit headers.
server::Handler api_route(std::shared_ptr<FakeState> state, FakeHandler handler);
// A public page of the fake (the booking pages): counted and subject to faults, no auth.
server::Handler page_route(std::shared_ptr<FakeState> state, FakeHandler handler);

}  // namespace calrt::testing::fake
