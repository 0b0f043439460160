#include "calendly_scope.hpp"

#include <boost/asio/co_spawn.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>

namespace calrt::app {
namespace asio = boost::asio;

asio::awaitable<CalendlyScope> decide_calendly_scope(calendly::CalendlyClient& client, std::string configured) {
    if (configured == "user") co_return CalendlyScope{false, "CALENDLY_SCOPE=user"};
    if (configured == "organization") co_return CalendlyScope{true, "CALENDLY_SCOPE=organization"};
    auto user = co_await client.current_user();
    if (!user) {
        co_return CalendlyScope{false, "not detected (GET /users/me: " + user.error().code +
                                           "); set CALENDLY_SCOPE=organization for an admin's token"};
    }
    // Any member may read their own membership; only an owner or admin may list the others.
    auto own = co_await client.organization_memberships(user->current_organization, user->uri);
    if (!own || own->items.empty()) {
        co_return CalendlyScope{false, "not detected (GET /organization_memberships: " +
                                           (own ? std::string("no membership") : own.error().code) + ")"};
    }
    const auto& role = own->items.front().role;
    if (!own->items.front().is_admin()) co_return CalendlyScope{false, "the token's role is " + role};
    auto members = co_await client.organization_memberships(user->current_organization);
    if (!members) {
        co_return CalendlyScope{false, "not detected (GET /organization_memberships: " + members.error().code + ")"};
    }
    if (members->items.size() < 2) co_return CalendlyScope{false, "the organization has one member"};
    co_return CalendlyScope{true, "detected: the token is an " + role + "'s of an organization of " +
                                      std::to_string(members->items.size()) + (members->truncated() ? "+" : "") +
                                      " members"};
}

CalendlyScope decide_calendly_scope_now(asio::io_context& io, calendly::CalendlyClient& client,
                                        std::string configured, std::chrono::milliseconds patience) {
    // Shared: the detection may outlast our patience and finish later, into nothing.
    auto decided = std::make_shared<std::optional<CalendlyScope>>();
    asio::co_spawn(io, decide_calendly_scope(client, std::move(configured)),
                   [decided](std::exception_ptr failure, CalendlyScope scope) {
                       *decided = failure ? CalendlyScope{false, "not detected (failed)"} : std::move(scope);
                   });
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (!*decided && std::chrono::steady_clock::now() < deadline &&
           io.run_one_until(deadline) > 0) {
    }
    if (io.stopped()) io.restart();
    return decided->value_or(CalendlyScope{false, "not detected in time; set CALENDLY_SCOPE=organization "
                                                  "for an admin's token"});
}

}  // namespace calrt::app
