#include <algorithm>

#include "testing/fake_calendly/api_route.hpp"
#include "testing/fake_calendly/organization_access.hpp"
#include "testing/fake_calendly/pagination.hpp"
#include "testing/fake_calendly/request_params.hpp"
#include "testing/fake_calendly/routes.hpp"

namespace calrt::testing::fake {
namespace {

CalendlyResult<std::optional<bool>> boolean_filter(const server::Request& request,
                                                   std::string_view name) {
    const auto value = request.query_param(name);
    if (!value) return std::optional<bool>{};
    if (*value == "true") return std::optional<bool>{true};
    if (*value == "false") return std::optional<bool>{false};
    return invalid_parameter(std::string(name), "must be true or false");
}

// A member's event types: its personal ones and the team types it hosts (Calendly: "personal,
// team, and organization event types associated with the user's URI").
bool belongs_to(const EventTypeRecord& type, const std::string& user_uuid) {
    if (!type.is_team_type()) return type.owner_uuid == user_uuid;
    return std::find(type.host_uuids.begin(), type.host_uuids.end(), user_uuid) !=
           type.host_uuids.end();
}

CalendlyResult<server::Response> list_event_types(FakeState& fake, const server::Request& request) {
    const auto scope = list_scope(fake, request);
    if (!scope) return scope.error();
    const auto active = boolean_filter(request, "active");
    if (!active) return active.error();
    const auto admin_managed = boolean_filter(request, "admin_managed");
    if (!admin_managed) return admin_managed.error();
    const auto descending = sort_descending(request, "name");
    if (!descending) return descending.error();
    const auto page = parse_page_request(request, fake.options.max_page_size);
    if (!page) return page.error();

    auto types = fake.store.event_types();
    std::erase_if(types, [&](const EventTypeRecord& type) {
        if (scope->member && !belongs_to(type, scope->member->user.uuid)) return true;
        if (*active && type.active != **active) return true;
        return *admin_managed && **admin_managed;  // no type of the fake is admin managed
    });
    // Calendly's default order is name:asc; the UUID breaks ties (every member has a "30 Minute
    // Meeting"), so that pages do not overlap.
    std::sort(types.begin(), types.end(), [desc = *descending](const auto& a, const auto& b) {
        if (a.name != b.name) return desc ? b.name < a.name : a.name < b.name;
        return a.uuid < b.uuid;
    });
    return calendly_json_response(
        200, paginate(
                 types.size(), [&](std::size_t i) { return fake.event_type_json(types[i]); },
                 *page, fake.resources().uris().base(), request));
}

}  // namespace

void add_event_type_routes(server::Router& router, const std::shared_ptr<FakeState>& state) {
    router.get("/event_types", api_route(state, [](FakeState& fake, server::Request& request) {
                   return to_response(list_event_types(fake, request));
               }));
    router.get("/event_types/{uuid}",
               api_route(state, [](FakeState& fake, server::Request& request) {
                   const auto type = fake.store.event_type(request.path_param("uuid").value_or(""));
                   if (!type) return calendly_error_response(resource_not_found());
                   return calendly_json_response(200, {{"resource", fake.event_type_json(*type)}});
               }));
}

}  // namespace calrt::testing::fake
