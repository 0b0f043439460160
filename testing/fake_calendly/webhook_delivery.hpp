#pragma once
// Delivers Calendly webhook envelopes ({"event","created_at","created_by","payload"}) to the
// subscribers' callback URLs, signed with each subscription's key, in the background: the API
// response that caused the event never waits for a receiver. Every attempt is recorded for tests.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/fake_calendly/calendly_time.hpp"
#include "testing/fake_calendly/observations.hpp"

namespace calrt::testing::fake {

struct WebhookTarget {
    std::string url;
    std::string signing_key;  // empty: no Calendly-Webhook-Signature header
};

class WebhookDelivery {
  public:
    WebhookDelivery(boost::asio::any_io_executor executor, std::chrono::milliseconds timeout);

    // Returns at once; each target is posted to on the executor.
    void deliver(const std::vector<WebhookTarget>& targets, const std::string& event,
                 nlohmann::json payload, const std::string& created_by, TimePoint now);

    std::vector<WebhookDeliveryRecord> records() const;

    struct Shared;  // the HTTP client and the records, kept alive by deliveries in flight

  private:
    std::shared_ptr<Shared> shared_;
};

}  // namespace calrt::testing::fake
