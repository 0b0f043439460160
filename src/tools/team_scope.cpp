#include "calrt/tools/team_scope.hpp"

#include <algorithm>

namespace calrt::tools {

boost::asio::awaitable<Result<std::vector<calendly::EventType>>> scoped_types(const TeamScope& scope) {
    auto directory = co_await scope.directory->current();
    if (!directory) co_return directory.error();
    const calendly::Directory& known = **directory;
    std::vector<calendly::EventType> types = known.event_types;
    if (!scope.host_slug.empty()) {
        const auto* host = known.host_by_slug(scope.host_slug);
        types = host ? known.types_of_host(host->user_uri) : std::vector<calendly::EventType>{};
    }
    if (!scope.team_slug.empty()) {
        std::erase_if(types, [&scope](const calendly::EventType& type) {
            return !calendly::is_team_type(type) || !type.profile_name ||
                   calendly::team_slug(*type.profile_name) != scope.team_slug;
        });
    }
    co_return types;
}

}  // namespace calrt::tools
