#pragma once
// "Has this already been handled?" for OpenAI's webhook deliveries (issue 24): OpenAI retries a
// delivery until it gets a 2xx (openapi.transformed.yml, realtime_call_incoming: "Non-200 status
// codes will be retried"), with the same webhook-id ("unique id for idempotency", realtime-sip
// guide), and one SIP call may be announced twice (realtime.call.incoming and live.call.incoming
// share the call id). A call must be accepted once, whatever reaches which replica.
//
// WebhookClaims is the seam. StoreWebhookClaims keeps the claims in the webhook store, which every
// replica on one DATABASE_URL shares (and a single process on SQLite keeps across restarts); the
// in-memory one holds for one process only, for tests and tools.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

#include "calrt/core/error.hpp"

namespace calrt::store {
class WebhookStore;
}

namespace calrt::phone {

class WebhookClaims {
  public:
    virtual ~WebhookClaims() = default;
    // True the first time `key` is claimed, false every later time. Errors (unavailable) when the
    // claim cannot be recorded: the delivery is then not acknowledged, and OpenAI retries.
    virtual boost::asio::awaitable<Result<bool>> claim(std::string key) = 0;
};

// Claims in the store (store::WebhookStore::claim_once): the first claim of a key by any replica
// on the database wins, and a claim outlives OpenAI's retries of its delivery
// (store::kSharedStateRetention). Keys are kept under a prefix of their own in the store's
// namespace of claims.
class StoreWebhookClaims final : public WebhookClaims {
  public:
    explicit StoreWebhookClaims(store::WebhookStore& store) : store_(store) {}
    boost::asio::awaitable<Result<bool>> claim(std::string key) override;

  private:
    store::WebhookStore& store_;
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
