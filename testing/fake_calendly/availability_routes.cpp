#include "testing/fake_calendly/api_route.hpp"
#include "testing/fake_calendly/organization_access.hpp"
#include "testing/fake_calendly/request_params.hpp"
#include "testing/fake_calendly/routes.hpp"

namespace calrt::testing::fake {
namespace {

// Calendly: start_time and end_time are required, start must not be in the past, and the range is
// limited (7 days, raised to 31 on 2026-07-09); the answer is a bare collection without pagination.
CalendlyResult<server::Response> available_times(FakeState& fake, const server::Request& request) {
    const auto event_type_uri = request.query_param("event_type");
    if (!event_type_uri || event_type_uri->empty())
        return invalid_parameter("event_type", "is required");
    const auto uuid = fake.resources().uris().uuid_in(*event_type_uri, "event_types");
    const auto type = uuid ? fake.store.event_type(*uuid) : std::nullopt;
    if (!type) return resource_not_found();
    const auto range = availability_range(fake, request, true, fake.options.max_availability_range);
    if (!range) return range.error();

    const HostUser owner = fake.store.owner_of(*type);
    nlohmann::json collection = nlohmann::json::array();
    for (const auto start : fake.store.open_slots(*type, range->start, range->end, fake.now())) {
        collection.push_back(fake.resources().available_time(*type, owner, start, fake.store.places_left(*type, start)));
    }
    return calendly_json_response(200, {{"collection", std::move(collection)}});
}

CalendlyResult<server::Response> busy_times(FakeState& fake, const server::Request& request) {
    const auto user = request.query_param("user");
    if (!user || user->empty()) return invalid_parameter("user", "is required");
    // Any member's, for an owner or admin token; a "user" token's own only.
    const auto member = visible_member(fake, *user);
    if (!member) return member.error();
    const auto range = availability_range(fake, request, false, fake.options.max_busy_times_range);
    if (!range) return range.error();

    nlohmann::json collection = nlohmann::json::array();
    for (const auto& event : fake.store.busy_events(member->user.uuid, range->start, range->end)) {
        collection.push_back(fake.resources().busy_time(event));
    }
    return calendly_json_response(200, {{"collection", std::move(collection)}});
}

}  // namespace

void add_availability_routes(server::Router& router, const std::shared_ptr<FakeState>& state) {
    router.get("/event_type_available_times",
               api_route(state, [](FakeState& fake, server::Request& request) {
                   return to_response(available_times(fake, request));
               }));
    router.get("/user_busy_times", api_route(state, [](FakeState& fake, server::Request& request) {
                   return to_response(busy_times(fake, request));
               }));
}

}  // namespace calrt::testing::fake
