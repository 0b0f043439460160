#include "calrt/server/admin_auth.hpp"

namespace calrt::server {

BearerToken check_bearer_token(const Request& request, const Secret& expected) {
    const std::string_view authorization = request.header("Authorization");
    constexpr std::string_view kScheme = "Bearer ";
    if (authorization.size() <= kScheme.size() || !iequals(authorization.substr(0, kScheme.size()), kScheme)) {
        return BearerToken::missing;
    }
    if (expected.empty() || !constant_time_equal(authorization.substr(kScheme.size()), expected.reveal())) {
        return BearerToken::wrong;
    }
    return BearerToken::matching;
}

Result<void> check_admin(const Request& request, const Secret& admin_token) {
    if (admin_token.empty()) {
        return Error::make(ErrorKind::not_configured, "admin_not_configured",
                           "admin actions are disabled: set API_ADMIN_TOKEN in the environment or .env and restart");
    }
    switch (check_bearer_token(request, admin_token)) {
        case BearerToken::missing:
            return Error::make(ErrorKind::unauthenticated, "admin_token_required",
                               "this action needs an 'Authorization: Bearer <API_ADMIN_TOKEN>' header");
        case BearerToken::wrong:
            return Error::make(ErrorKind::permission_denied, "admin_token_invalid", "the admin token is not valid");
        case BearerToken::matching: break;
    }
    return {};
}

}  // namespace calrt::server
