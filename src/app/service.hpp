#pragma once
// Wires the components for `calendly-realtime` (serve) and runs them until SIGINT/SIGTERM.

#include "calrt/core/config.hpp"

namespace calrt::app {

// Returns the process exit code; throws std::runtime_error on start-up misconfiguration.
int run_service(const Config& config);

}  // namespace calrt::app
