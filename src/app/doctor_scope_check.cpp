// doctor: one host or the organization (CALENDLY_SCOPE), as the service will decide it
// (calendly_scope.hpp): the token's role and the organization's size.
#include "doctor_calendly_call.hpp"
#include "doctor_calendly_checks.hpp"

#include "calrt/calendly/page.hpp"

namespace calrt::app {
namespace asio = boost::asio;

asio::awaitable<bool> check_scope(DoctorContext& context, const calendly::User& user) {
    auto& report = context.report;
    const std::string& configured = context.config.calendly.scope;
    // Named, not braced temporaries inside co_await (GCC 12; docs/architecture.md, "Compiler notes").
    const std::string memberships_path = "/organization_memberships";
    const std::vector<std::pair<std::string, std::string>> own_query{{"organization", user.current_organization},
                                                                     {"user", user.uri}};
    const std::vector<std::pair<std::string, std::string>> all_query{{"organization", user.current_organization},
                                                                     {"count", "100"}};
    const auto own = co_await calendly_get(context, memberships_path, own_query);
    std::optional<calendly::OrganizationMembership> membership;
    if (own.ok()) {
        auto parsed = calendly::parse_collection<calendly::OrganizationMembership>(own.body);
        if (parsed && !parsed->empty()) membership = parsed->front();
    }
    const bool admin = membership && membership->is_admin();
    std::size_t members = 0;
    bool more = false;
    if (admin) {
        const auto listed = co_await calendly_get(context, memberships_path, all_query);
        if (listed.ok()) {
            auto page = calendly::parse_page<calendly::OrganizationMembership>(listed.body);
            if (page) {
                members = page->collection.size();
                more = page->pagination.has_next();
            }
        }
    }
    const std::string role = membership ? membership->role : std::string("unknown");
    const std::string size = std::to_string(members) + (more ? "+" : "") + " members";
    if (configured == "user") {
        report.ok("calendly.scope", "CALENDLY_SCOPE=user: the service serves " + user.name + " alone (the token's role is " +
                                        role + ").");
        co_return false;
    }
    if (configured == "organization") {
        if (!admin) {
            report.fail("calendly.scope",
                        "CALENDLY_SCOPE=organization, but the token's role is " + role +
                            ": Calendly refuses the organization's members and event types to anyone but an owner or "
                            "admin.",
                        "create the personal access token as an owner or admin of the organization, or set "
                        "CALENDLY_SCOPE=user.");
            co_return false;
        }
        report.ok("calendly.scope", "CALENDLY_SCOPE=organization: every host of the organization (" + size +
                                        "; the token is an " + role + "'s).");
        co_return true;
    }
    if (admin && (members > 1 || more)) {
        report.ok("calendly.scope", "detected organization mode: the token is an " + role + "'s, the organization has " +
                                        size + "; every host is served (CALENDLY_SCOPE=user serves " + user.name +
                                        " alone).");
        co_return true;
    }
    report.ok("calendly.scope", "detected one host: " + user.name + " (the token's role is " + role +
                                    (admin ? ", the organization has one member" : "") + ").");
    co_return false;
}

}  // namespace calrt::app
