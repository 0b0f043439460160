#pragma once
// Admin actions require `Authorization: Bearer $API_ADMIN_TOKEN`, compared in constant time.

#include "calrt/core/error.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/server/http_message.hpp"

namespace calrt::server {

// 503 when no token is configured (saying how to set one), 401 when the request carries no Bearer
// token, 403 when it carries the wrong one.
Result<void> check_admin(const Request& request, const Secret& admin_token);

}  // namespace calrt::server
