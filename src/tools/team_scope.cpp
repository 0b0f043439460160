#include "calrt/tools/team_scope.hpp"

namespace calrt::tools {

boost::asio::awaitable<Result<std::vector<calendly::EventType>>> scoped_types(const TeamScope& scope) {
    auto directory = co_await scope.directory->current();
    if (!directory) co_return directory.error();
    co_return (*directory)->scoped(scope.host_slug, scope.team_slug);
}

}  // namespace calrt::tools
