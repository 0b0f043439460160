#include "testing/fake_calendly/organization_access.hpp"

namespace calrt::testing::fake {

bool token_is_admin(const FakeState& state) {
    return state.options.token_role == "owner" || state.options.token_role == "admin";
}

CalendlyResult<void> require_admin_token(const FakeState& state) {
    if (!token_is_admin(state)) return permission_denied();
    return {};
}

CalendlyResult<MemberRecord> visible_member(const FakeState& state, std::string_view user_uri) {
    const auto uuid = state.resources().uris().uuid_in(user_uri, "users");
    auto member = uuid ? state.store.member(*uuid) : std::nullopt;
    if (!member) return permission_denied("This user is not in your organization");
    if (!token_is_admin(state) && member->user.uuid != state.store.host().uuid)
        return permission_denied();
    return std::move(*member);
}

CalendlyResult<ListScope> list_scope(const FakeState& state, const server::Request& request) {
    const auto user = request.query_param("user");
    const auto organization = request.query_param("organization");
    if (!user && !organization) {
        return invalid_argument({{"user", "user or organization is required"},
                                 {"organization", "user or organization is required"}});
    }
    ListScope scope;
    if (user) {
        auto member = visible_member(state, *user);
        if (!member) return member.error();
        scope.member = std::move(*member);
    }
    if (organization) {
        const auto& uris = state.resources().uris();
        if (*organization != uris.organization(state.store.host().organization_uuid))
            return permission_denied();
        if (!scope.member) {
            if (auto admin = require_admin_token(state); !admin) return admin.error();
        }
    }
    return scope;
}

}  // namespace calrt::testing::fake
