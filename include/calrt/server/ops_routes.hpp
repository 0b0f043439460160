#pragma once
// Operational routes: GET /healthz (liveness), GET /readyz (readiness with reasons), GET /metrics
// (Prometheus text), served only to the clients `metrics_access` admits (review item N13).

#include "calrt/core/config.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/readiness.hpp"
#include "calrt/server/router.hpp"

namespace calrt::server {

// The default admits loopback clients only, as METRICS_ALLOW's default does.
void add_ops_routes(Router& router, const Readiness& readiness, const MetricsRegistry& metrics,
                    MetricsAccess metrics_access = {});

}  // namespace calrt::server
