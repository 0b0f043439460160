// GET /organization_memberships (and one by UUID) and GET /event_type_memberships (Calendly's "List
// Event Type Hosts"), in the shapes of /work/research/calendly-teams.md §1 and §3.
#include "calrt/server/http_message.hpp"
#include "testing/fake_calendly/api_route.hpp"
#include "testing/fake_calendly/organization_access.hpp"
#include "testing/fake_calendly/pagination.hpp"
#include "testing/fake_calendly/request_params.hpp"
#include "testing/fake_calendly/routes.hpp"

namespace calrt::testing::fake {
namespace {

// `organization` for every member (owner or admin token), `user` for one (a "user" token: only
// itself), `email` to find one by address.
CalendlyResult<server::Response> list_memberships(FakeState& fake, const server::Request& request) {
    const auto scope = list_scope(fake, request);
    if (!scope) return scope.error();
    const auto page = parse_page_request(request, fake.options.max_page_size);
    if (!page) return page.error();
    const auto email = request.query_param("email");

    auto members = fake.store.members();
    std::erase_if(members, [&](const MemberRecord& member) {
        if (scope->member && member.user.uuid != scope->member->user.uuid) return true;
        return email && !server::iequals(member.user.email, *email);
    });
    return calendly_json_response(
        200,
        paginate(
            members.size(),
            [&](std::size_t i) { return fake.resources().organization_membership(members[i]); },
            *page, fake.resources().uris().base(), request));
}

CalendlyResult<server::Response> get_membership(FakeState& fake, const server::Request& request) {
    const auto uuid = request.path_param("uuid").value_or("");
    for (const auto& member : fake.store.members()) {
        if (member.membership_uuid != uuid) continue;
        // A "user" token sees its own membership only.
        auto visible = visible_member(fake, fake.resources().uris().user(member.user.uuid));
        if (!visible) return visible.error();
        return calendly_json_response(
            200, {{"resource", fake.resources().organization_membership(member)}});
    }
    return resource_not_found();
}

// One item per host (a personal type's host is its owner), in the team's order.
CalendlyResult<server::Response> list_event_type_hosts(FakeState& fake,
                                                       const server::Request& request) {
    const auto event_type_uri = request.query_param("event_type");
    if (!event_type_uri || event_type_uri->empty())
        return invalid_parameter("event_type", "is required");
    const auto page = parse_page_request(request, fake.options.max_page_size);
    if (!page) return page.error();
    const auto uuid = fake.resources().uris().uuid_in(*event_type_uri, "event_types");
    const auto type = uuid ? fake.store.event_type(*uuid) : std::nullopt;
    if (!type) return resource_not_found();

    std::vector<HostUser> hosts;
    for (const auto& host_uuid : CalendarStore::candidate_hosts(*type)) {
        if (auto member = fake.store.member(host_uuid)) hosts.push_back(std::move(member->user));
    }
    const nlohmann::json type_json = fake.event_type_json(*type);
    return calendly_json_response(200, paginate(
                                           hosts.size(),
                                           [&](std::size_t i) {
                                               return fake.resources().event_type_membership(
                                                   *type, type_json, hosts[i]);
                                           },
                                           *page, fake.resources().uris().base(), request));
}

}  // namespace

void add_organization_routes(server::Router& router, const std::shared_ptr<FakeState>& state) {
    router.get("/organization_memberships",
               api_route(state, [](FakeState& fake, server::Request& request) {
                   return to_response(list_memberships(fake, request));
               }));
    router.get("/organization_memberships/{uuid}",
               api_route(state, [](FakeState& fake, server::Request& request) {
                   return to_response(get_membership(fake, request));
               }));
    router.get("/event_type_memberships",
               api_route(state, [](FakeState& fake, server::Request& request) {
                   return to_response(list_event_type_hosts(fake, request));
               }));
}

}  // namespace calrt::testing::fake
