#include "relay_scope.hpp"

#include <boost/url/parse.hpp>

#include <string>

namespace calrt::server {
namespace {

std::string query_value(std::string_view target, std::string_view name) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return {};
    const auto params = url->params();
    const auto found = params.find(name);
    return found == params.end() ? std::string() : std::string((*found).value);
}

}  // namespace

boost::asio::awaitable<Result<std::shared_ptr<const tools::TeamScope>>> relay_scope(
    std::shared_ptr<calendly::OrganizationDirectory> directory, std::string_view target) {
    auto scope = std::make_shared<tools::TeamScope>();
    scope->host_slug = query_value(target, "host");
    scope->team_slug = query_value(target, "team");
    if (!scope->host_slug.empty() || !scope->team_slug.empty()) {
        auto known = co_await directory->current();
        if (!known) co_return known.error();
        if (!scope->host_slug.empty() && (*known)->host_by_slug(scope->host_slug) == nullptr) {
            co_return Error::make(ErrorKind::not_found, "host_not_found",
                                  "no host is called '" + scope->host_slug.substr(0, 100) + "'");
        }
        if (!scope->team_slug.empty() && (*known)->types_of_team(scope->team_slug).empty()) {
            co_return Error::make(ErrorKind::not_found, "team_not_found",
                                  "no team is called '" + scope->team_slug.substr(0, 100) + "'");
        }
    }
    scope->directory = std::move(directory);
    co_return std::shared_ptr<const tools::TeamScope>(std::move(scope));
}

}  // namespace calrt::server
