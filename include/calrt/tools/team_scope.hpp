#pragma once
// Which of an organization's meeting types one conversation offers (organization mode): every
// host's, one host's (the page /hosts/<slug>), or one team's (?team=). The server decides it from
// the URL the page was opened at; nothing the browser or the model says widens it.

#include "calrt/calendly/models.hpp"
#include "calrt/calendly/organization_directory.hpp"
#include "calrt/core/error.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <vector>

namespace calrt::tools {

struct TeamScope {
    std::shared_ptr<calendly::OrganizationDirectory> directory;
    std::string host_slug{};  // empty: every host
    std::string team_slug{};  // empty: every team
};

// The scope's offered types (with their hosts' names), in Calendly's order. An unknown host or
// team has none.
boost::asio::awaitable<Result<std::vector<calendly::EventType>>> scoped_types(const TeamScope& scope);

}  // namespace calrt::tools
