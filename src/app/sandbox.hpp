#pragma once
// Sandbox mode (no CALENDLY_API_KEY, or --sandbox): the fake Calendly from testing/ runs in-process
// on a loopback port with seeded data, and the service talks to it exactly as to Calendly. Bookings
// made there come back to the service's own webhook route as signed invitee.created deliveries.

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/core/secret.hpp"
#include "testing/fake_calendly/fake_calendly.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>

namespace calrt::app {

struct SandboxCalendly {
    std::unique_ptr<calrt::testing::FakeCalendly> fake;
    Secret webhook_secret;  // the configured one, or generated for this run
    bool generated_secret = false;
};

// Starts the fake; generates a webhook signing key when `configured_secret` is empty.
// `organization`: SANDBOX_ORGANIZATION, the fake serves an organization of several hosts.
SandboxCalendly start_sandbox_calendly(boost::asio::io_context& io, const Secret& configured_secret,
                                       bool organization = false);

// Points the Calendly client at the fake (its URL and token; the user is the fake's host).
void use_sandbox_calendly(calendly::CalendlyClientOptions& options, const SandboxCalendly& sandbox);

// Points the fake's webhook deliveries at the service, once the service knows its port.
void deliver_sandbox_webhooks_to(SandboxCalendly& sandbox, std::uint16_t service_port);

}  // namespace calrt::app
