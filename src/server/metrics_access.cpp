#include "calrt/server/metrics_access.hpp"

#include "calrt/server/admin_auth.hpp"

namespace calrt::server {

Result<void> check_metrics_access(const Request& request, const MetricsAccess& access) {
    const auto address = IpAddress::parse(request.remote_address);
    if (address && any_contains(access.allow, *address)) return {};
    if (access.token.empty()) {
        // The client's own address, as this service sees it, is what an operator needs to fix
        // METRICS_ALLOW or TRUSTED_PROXIES; it tells the client nothing it did not know.
        return Error::make(ErrorKind::permission_denied, "metrics_forbidden",
                           "GET /metrics is served only to addresses in METRICS_ALLOW (this request is from " +
                               request.remote_address + ") or with METRICS_TOKEN");
    }
    switch (check_bearer_token(request, access.token)) {
        case BearerToken::missing:
            return Error::make(ErrorKind::unauthenticated, "metrics_token_required",
                               "GET /metrics from this address needs an 'Authorization: Bearer <METRICS_TOKEN>' header");
        case BearerToken::wrong:
            return Error::make(ErrorKind::unauthenticated, "metrics_token_invalid", "the metrics token is not valid");
        case BearerToken::matching: break;
    }
    return {};
}

}  // namespace calrt::server
