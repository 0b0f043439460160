#pragma once
// One simulated phone call for `calendly-realtime phone simulate`: the sandbox's fake OpenAI offers
// a SIP call to the service's own webhook route (a signed realtime.call.incoming, as OpenAI sends
// it), and the person at the terminal is the caller. Each line typed is what the caller says;
// "/press 123" presses keys; "/hangup" or the end of input hangs up.
//
// What it prints comes from what the fake OpenAI recorded, polled every 100 ms (an interactive
// command; tests wait on conditions instead): the call's state ("ringing…", "accepted",
// "rejected (603 …)"), each assistant answer ("assistant> …"), each tool the assistant ran (the
// fake's tool round trips), and how the call ended ("transferred to tel:…", "hung up (…)"). Why the
// service rejected or ended a call is the reason it counted in calrt_phone_calls_total, as
// /metrics shows it. No hook in the phone module is needed for any of it.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <ostream>
#include <string>

#include "calrt/core/metrics.hpp"
#include "calrt/core/secret.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"

namespace calrt::app {

struct SimulatedCall {
    calrt::testing::FakeRealtime& openai;  // the sandbox assistant, with its call control
    std::string webhook_url;               // http://127.0.0.1:port/api/openai/webhook
    Secret webhook_secret;                 // the route's OPENAI_WEBHOOK_SECRET (whsec_…)
    std::string caller_number;             // "+14155550123"
    const MetricsRegistry& metrics;        // the service's, for the reasons it counted
    std::ostream& out;
    // How long the call may ring before the simulation gives up on it.
    std::chrono::milliseconds ring_limit{15'000};
    // How long, once the call is over, the service may take to finish it (its last tool calls).
    std::chrono::milliseconds wind_down_limit{10'000};
};

// Runs the call on the current executor, reading standard input. SIGINT or SIGTERM hang up as the
// caller (once the call is answered, if it is still ringing), and the call winds down as it does at
// the end of input, so nothing of the service's is left running. Returns the exit code: 0 when the
// call was accepted and ended, 130 when it was interrupted, 1 when it was not accepted.
boost::asio::awaitable<int> run_simulated_call(SimulatedCall call);

}  // namespace calrt::app
