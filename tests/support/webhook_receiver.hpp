#pragma once
// A plain HTTP route on its own server that records the webhook deliveries sent to it (body and
// Calendly-Webhook-Signature), for tests of the fake Calendly's deliveries.

#include <mutex>
#include <string>
#include <vector>

#include "support/running_server.hpp"

namespace calrt::test {

class WebhookReceiver {
  public:
    struct Delivery {
        std::string body;
        std::string signature;
    };

    explicit WebhookReceiver(std::string path = "/api/calendly/webhook");

    std::string url() const;
    std::vector<Delivery> received();

  private:
    std::string path_;
    // Declared before the server, so they outlive it: a delivery the fake sends as a test ends is
    // still being recorded until the server has stopped (LeakSanitizer caught one pushed into the
    // destroyed vector).
    std::mutex mutex_;
    std::vector<Delivery> deliveries_;
    RunningServer server_;
};

}  // namespace calrt::test
