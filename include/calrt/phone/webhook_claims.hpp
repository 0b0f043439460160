#pragma once
// "Has this already been handled?" for OpenAI's webhook deliveries (issue 24): OpenAI retries a
// delivery until it gets a 2xx (openapi.transformed.yml, realtime_call_incoming: "Non-200 status
// codes will be retried"), with the same webhook-id ("unique id for idempotency", realtime-sip
// guide), and one SIP call may be announced twice (realtime.call.incoming and live.call.incoming
// share the call id). A call must be accepted once, whatever reaches which replica.
//
// WebhookClaims is the seam; the in-memory one below holds for one process only. Across replicas
// the claim belongs in the shared store (PostgreSQL, like the daily budgets): not built yet
// (PHONE_STATUS.md).

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

#include "calrt/core/error.hpp"

namespace calrt::phone {

class WebhookClaims {
  public:
    virtual ~WebhookClaims() = default;
    // True the first time `key` is claimed, false every later time. Errors (unavailable) when the
    // claim cannot be recorded: the delivery is then not acknowledged, and OpenAI retries.
    virtual boost::asio::awaitable<Result<bool>> claim(std::string key) = 0;
};

// Claims in this process's memory, the oldest forgotten past `max_keys` (a retry comes within
// hours; a key forgotten after 100,000 newer ones is long past any retry).
class InMemoryWebhookClaims final : public WebhookClaims {
  public:
    explicit InMemoryWebhookClaims(std::size_t max_keys = 100'000) : max_keys_(max_keys) {}
    boost::asio::awaitable<Result<bool>> claim(std::string key) override;

  private:
    std::mutex mutex_;
    std::size_t max_keys_;
    std::unordered_set<std::string> keys_;
    std::deque<std::string> order_;  // oldest first
};

}  // namespace calrt::phone
