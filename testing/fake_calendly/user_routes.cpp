#include "testing/fake_calendly/api_route.hpp"
#include "testing/fake_calendly/routes.hpp"

namespace calrt::testing::fake {

void add_user_routes(server::Router& router, const std::shared_ptr<FakeState>& state) {
    router.get("/users/me", api_route(state, [](FakeState& fake, server::Request&) {
                   return calendly_json_response(
                       200, {{"resource", fake.resources().user(fake.store.host())}});
               }));
    router.get("/users/{uuid}", api_route(state, [](FakeState& fake, server::Request& request) {
                   const HostUser host = fake.store.host();
                   if (request.path_param("uuid") != host.uuid)
                       return calendly_error_response(resource_not_found());
                   return calendly_json_response(200, {{"resource", fake.resources().user(host)}});
               }));
}

}  // namespace calrt::testing::fake
