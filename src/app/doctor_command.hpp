#pragma once
// `calendly-realtime doctor`: checks a real deployment with the configured credentials (read-only:
// nothing is booked or changed) and prints one line per check (OK, WARN, FAIL or INFO: what was
// found and what to do). Exit status 0 when everything the service needs works (warnings
// included), 1 when something it needs fails, 2 on a usage error. Secrets are never printed.

#include "calrt/core/config.hpp"

#include <string>
#include <vector>

namespace calrt::app {

// `words` is the command line after "doctor" (none are taken).
int run_doctor_command(const Config& config, const std::vector<std::string>& words);

}  // namespace calrt::app
