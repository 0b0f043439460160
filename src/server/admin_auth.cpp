#include "calrt/server/admin_auth.hpp"

namespace calrt::server {

Result<void> check_admin(const Request& request, const Secret& admin_token) {
    if (admin_token.empty()) {
        return Error::make(ErrorKind::not_configured, "admin_not_configured",
                           "admin actions are disabled: set API_ADMIN_TOKEN in the environment or .env and restart");
    }
    const std::string_view authorization = request.header("Authorization");
    constexpr std::string_view kScheme = "Bearer ";
    if (authorization.size() <= kScheme.size() || !iequals(authorization.substr(0, kScheme.size()), kScheme)) {
        return Error::make(ErrorKind::unauthenticated, "admin_token_required",
                           "this action needs an 'Authorization: Bearer <API_ADMIN_TOKEN>' header");
    }
    if (!constant_time_equal(authorization.substr(kScheme.size()), admin_token.reveal())) {
        return Error::make(ErrorKind::permission_denied, "admin_token_invalid", "the admin token is not valid");
    }
    return {};
}

}  // namespace calrt::server
