// CalendlyClient's organization reads: members, the organization's event types and a type's hosts
// (developer.calendly.com: "List Organization Memberships", "List Event Types", "List Event Type
// Hosts"). The organization's directory (organization_directory.hpp) is built from them.
#include "client_impl.hpp"

namespace calrt::calendly {

asio::awaitable<Result<GatheredList<EventType>>> CalendlyClient::organization_event_types(
    std::string organization_uri) {
    QueryParams query{{"organization", std::move(organization_uri)}, {"active", "true"}};
    co_return co_await impl_->list_all<EventType>(kEventTypesPath, std::move(query), kEventTypesEndpoint,
                                                  impl_->options.max_directory_items);
}

asio::awaitable<Result<GatheredList<OrganizationMembership>>> CalendlyClient::organization_memberships(
    std::string organization_uri, std::optional<std::string> user) {
    QueryParams query{{"organization", std::move(organization_uri)}};
    if (user) query.emplace_back("user", std::move(*user));
    co_return co_await impl_->list_all<OrganizationMembership>("/organization_memberships", std::move(query),
                                                               "GET /organization_memberships",
                                                               impl_->options.max_directory_items);
}

asio::awaitable<Result<std::vector<EventTypeHost>>> CalendlyClient::event_type_hosts(std::string event_type_uri) {
    QueryParams query{{"event_type", std::move(event_type_uri)}};
    co_return co_await impl_->list_items<EventTypeHost>("/event_type_memberships", std::move(query),
                                                        "GET /event_type_memberships");
}

}  // namespace calrt::calendly
