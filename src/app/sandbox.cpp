#include "sandbox.hpp"

#include "calrt/core/logging.hpp"
#include "calrt/core/random.hpp"

#include <stdexcept>

namespace calrt::app {

SandboxCalendly start_sandbox_calendly(boost::asio::io_context& io, const Secret& configured_secret,
                                       bool organization) {
    SandboxCalendly sandbox;
    sandbox.webhook_secret = configured_secret;
    if (sandbox.webhook_secret.empty()) {
        sandbox.webhook_secret = Secret(random_hex(32));
        sandbox.generated_secret = true;
    }
    // Event types with each location kind and required questions, as real hosts have them.
    calrt::testing::FakeCalendlyOptions fake_options;
    fake_options.varied_event_types = true;
    // Three more hosts, a round robin "Sales demo" and a collective "Panel interview".
    fake_options.sandbox_team = organization;
    sandbox.fake = std::make_unique<calrt::testing::FakeCalendly>(io, std::move(fake_options));
    sandbox.fake->start();
    return sandbox;
}

void use_sandbox_calendly(calendly::CalendlyClientOptions& options, const SandboxCalendly& sandbox) {
    options.base_url = sandbox.fake->base_url();
    options.access_token = Secret(sandbox.fake->access_token());
    options.user_uri.clear();
}

void deliver_sandbox_webhooks_to(SandboxCalendly& sandbox, std::uint16_t service_port) {
    sandbox.fake->subscribe_webhooks("http://127.0.0.1:" + std::to_string(service_port) + "/api/calendly/webhook",
                                     sandbox.webhook_secret.reveal());
    log::warn("SANDBOX MODE: serving sandbox data from a built-in fake Calendly, not a real account",
              {{"fake_calendly", sandbox.fake->base_url()}});
    if (sandbox.generated_secret) {
        // Printed once, so that signed test deliveries can be made by hand; it changes every run.
        log::warn("sandbox webhook signing secret generated for this run",
                  {{"CALENDLY_WEBHOOK_SECRET", sandbox.webhook_secret.reveal()}});
    }
}

}  // namespace calrt::app
