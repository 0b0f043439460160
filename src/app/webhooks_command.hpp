#pragma once
// `calendly-realtime webhooks register --url URL [--events a,b]`, `webhooks list`,
// `webhooks delete URI`: manage the host's Calendly webhook subscriptions (user scope), signing new
// ones with CALENDLY_WEBHOOK_SECRET.

#include "calrt/core/config.hpp"

#include <map>
#include <string>
#include <vector>

namespace calrt::app {

// `words` is the command line after "webhooks". Prints results on stdout; returns the exit code.
int run_webhooks_command(const Config& config, const std::vector<std::string>& words,
                         const std::map<std::string, std::string, std::less<>>& options);

}  // namespace calrt::app
