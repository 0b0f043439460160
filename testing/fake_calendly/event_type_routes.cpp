#include <algorithm>

#include "testing/fake_calendly/api_route.hpp"
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

CalendlyResult<server::Response> list_event_types(FakeState& fake, const server::Request& request) {
    if (auto scope = check_owner_scope(fake, request); !scope) return scope.error();
    const auto active = boolean_filter(request, "active");
    if (!active) return active.error();
    const auto admin_managed = boolean_filter(request, "admin_managed");
    if (!admin_managed) return admin_managed.error();
    const auto descending = sort_descending(request, "name");
    if (!descending) return descending.error();
    const auto page = parse_page_request(request, fake.options.max_page_size);
    if (!page) return page.error();

    auto types = fake.store.event_types();
    // Calendly's default order is name:asc.
    std::sort(types.begin(), types.end(), [desc = *descending](const auto& a, const auto& b) {
        return desc ? b.name < a.name : a.name < b.name;
    });
    const HostUser host = fake.store.host();
    nlohmann::json items = nlohmann::json::array();
    for (const auto& type : types) {
        if (*active && type.active != **active) continue;
        if (*admin_managed && **admin_managed) continue;  // the host manages all of its own types
        items.push_back(fake.resources().event_type(type, host));
    }
    return calendly_json_response(200,
                                  paginate(items, *page, fake.resources().uris().base(), request));
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
                   return calendly_json_response(
                       200, {{"resource", fake.resources().event_type(*type, fake.store.host())}});
               }));
}

}  // namespace calrt::testing::fake
