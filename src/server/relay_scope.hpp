#pragma once
// Organization mode: which hosts a conversation offers, from the upgrade target the chat page
// opened (GET /api/realtime?host=<slug> from /hosts/<slug>, ?team=<slug>). The page can only
// narrow the organization-wide scope, never widen it: every scope is one the page at / offers too.

#include "calrt/calendly/organization_directory.hpp"
#include "calrt/core/error.hpp"
#include "calrt/tools/team_scope.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string_view>

namespace calrt::server {

// The scope `target` asks for: not_found "host_not_found" / "team_not_found" for a slug the
// directory does not know (the relay refuses the upgrade with 404).
boost::asio::awaitable<Result<std::shared_ptr<const tools::TeamScope>>> relay_scope(
    std::shared_ptr<calendly::OrganizationDirectory> directory, std::string_view target);

}  // namespace calrt::server
