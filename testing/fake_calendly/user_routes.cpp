#include "testing/fake_calendly/api_route.hpp"
#include "testing/fake_calendly/routes.hpp"

namespace calrt::testing::fake {

void add_user_routes(server::Router& router, const std::shared_ptr<FakeState>& state) {
    router.get("/users/me", api_route(state, [](FakeState& fake, server::Request&) {
                   return calendly_json_response(
                       200, {{"resource", fake.resources().user(fake.store.host())}});
               }));
    // Any member of the organization (Calendly's "Get user" takes any user's UUID).
    router.get("/users/{uuid}", api_route(state, [](FakeState& fake, server::Request& request) {
                   const auto member = fake.store.member(request.path_param("uuid").value_or(""));
                   if (!member) return calendly_error_response(resource_not_found());
                   return calendly_json_response(
                       200, {{"resource", fake.resources().user(member->user)}});
               }));
}

}  // namespace calrt::testing::fake
