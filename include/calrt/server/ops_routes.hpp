#pragma once
// Operational routes: GET /healthz (liveness), GET /readyz (readiness with reasons), GET /metrics
// (Prometheus text).

#include "calrt/core/metrics.hpp"
#include "calrt/core/readiness.hpp"
#include "calrt/server/router.hpp"

namespace calrt::server {

void add_ops_routes(Router& router, const Readiness& readiness, const MetricsRegistry& metrics);

}  // namespace calrt::server
