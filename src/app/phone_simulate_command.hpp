#pragma once
// `calendly-realtime phone simulate [--from +14155550123]`: a phone call to the assistant without a
// SIP trunk, all in one process on loopback. The service's phone webhook route and Calendly
// webhook route run on 127.0.0.1 (port 0) with a webhook store in a temporary directory (removed
// at the end); the sandbox's fake OpenAI plays OpenAI's part (it offers the call with a signed
// realtime.call.incoming, takes the accept, opens the call's sideband) and the person at the
// terminal is the caller (simulated_call.hpp).
//
// The assistant is always the sandbox assistant: OpenAI's SIP calls come from a phone network and
// cannot be placed from a terminal. Calendly is as configured: the sandbox's fake Calendly without
// CALENDLY_API_KEY (its bookings' invitee.created reach the call, which confirms them), else the
// host's real account. PHONE_* settings apply as in the service (PHONE_MAX_CALLS at least 1).

#include "calrt/core/config.hpp"

#include <map>
#include <string>
#include <vector>

namespace calrt::app {

// `words` is the command line after "phone" ("simulate"); `options` may hold --from. Returns the
// exit code: 0 when the call was accepted and ended, 1 when it was not accepted, 2 for a usage
// error, 130 when interrupted (SIGINT or SIGTERM).
int run_phone_command(const Config& config, const std::vector<std::string>& words,
                      const std::map<std::string, std::string, std::less<>>& options);

}  // namespace calrt::app
