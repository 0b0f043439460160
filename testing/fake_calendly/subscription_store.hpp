#pragma once
// Webhook subscriptions made through POST /webhook_subscriptions (and the one FakeCalendlyOptions
// configures), which the fake delivers invitee events to. Thread-safe.

#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "testing/fake_calendly/calendly_errors.hpp"
#include "testing/fake_calendly/records.hpp"

namespace calrt::testing::fake {

class SubscriptionStore {
  public:
    // Calendly refuses a second subscription with the same callback URL: 409 "Already Exists".
    CalendlyResult<WebhookSubscriptionRecord> add(WebhookSubscriptionRecord subscription);
    std::vector<WebhookSubscriptionRecord> all() const;
    std::optional<WebhookSubscriptionRecord> find(std::string_view uuid) const;
    bool remove(std::string_view uuid);
    // The subscriptions that want `event` ("invitee.created").
    std::vector<WebhookSubscriptionRecord> subscribed_to(std::string_view event) const;

  private:
    mutable std::mutex mutex_;
    std::vector<WebhookSubscriptionRecord> subscriptions_;
};

}  // namespace calrt::testing::fake
