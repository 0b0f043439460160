#pragma once
// Who may read GET /metrics (review item N13): a client whose address, as the rest of the service
// sees it (after TRUSTED_PROXIES), is in METRICS_ALLOW, or a request with
// `Authorization: Bearer $METRICS_TOKEN` (compared in constant time, like the admin token).

#include "calrt/core/config.hpp"
#include "calrt/core/error.hpp"
#include "calrt/server/http_message.hpp"

namespace calrt::server {

// 401 (metrics_token_required, metrics_token_invalid) when a token is configured and the request
// has no matching one; 403 (metrics_forbidden) when no token is configured. Neither message
// repeats a token.
Result<void> check_metrics_access(const Request& request, const MetricsAccess& access);

}  // namespace calrt::server
