#pragma once
// Admin actions require `Authorization: Bearer $API_ADMIN_TOKEN`, compared in constant time.

#include "calrt/core/error.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/server/http_message.hpp"

namespace calrt::server {

// 503 when no token is configured (saying how to set one), 401 when the request carries no Bearer
// token, 403 when it carries the wrong one.
Result<void> check_admin(const Request& request, const Secret& admin_token);

enum class BearerToken { missing, wrong, matching };

// The request's `Authorization: Bearer <token>` (scheme in any case) against `expected`, compared
// in constant time; the one comparer for every token the service accepts (API_ADMIN_TOKEN,
// METRICS_TOKEN). An empty `expected` matches nothing.
BearerToken check_bearer_token(const Request& request, const Secret& expected);

}  // namespace calrt::server
