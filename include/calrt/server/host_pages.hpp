#pragma once
// Organization mode: GET /hosts/<slug>, the chat page scoped to one host. The page reads the slug
// from its own path and asks the relay for that host (relay_scope.hpp); the server answers the
// page only for a host of the organization's directory, and a 404 page for any other slug.

#include "calrt/server/router.hpp"
#include "calrt/server/static_files.hpp"

namespace calrt::calendly {
class OrganizationDirectory;  // organization_directory.hpp
}

namespace calrt::server {

// `files` and `directory` must outlive the router.
void add_host_page_routes(Router& router, const StaticFiles& files, calendly::OrganizationDirectory& directory);

}  // namespace calrt::server
