#pragma once
// State that every replica sharing the store's database must agree on (issue 24, and the daily
// booking caps and Calendly's rate-limit pauses of issue 22): keys claimed once, counters per time
// window, and values that only grow. Each operation is
// one committed transaction, so two replicas asking at once get one answer between them.

#include <chrono>
#include <cstdint>
#include <string>

#include "calrt/core/time.hpp"

namespace calrt::store {

// Claims and budget windows untouched for this long are deleted, when the store opens and then
// every prune interval. OpenAI retries a webhook delivery "with exponential backoff for up to 72
// hours" (a third party's account, hookdeck.com "Guide to OpenAI Webhooks"; OpenAI's references
// give no number, docs/phone-protocol.md), so a claim outlives every retry of its delivery. A budget
// window (an hour, a UTC day) is over long before its row goes; a window longer than this would
// be forgotten while still in use.
inline constexpr std::chrono::hours kSharedStateRetention{72};

// Take `amount` from the budget named `key` in `window` (an index the caller computes, such as
// the UTC day or hour number): granted only when used + amount <= limit. limit <= 0: no limit.
struct BudgetTake {
    std::string key{};
    std::int64_t window = 0;
    std::int64_t amount = 0;  // >= 0; 0 reads the window's current use
    std::int64_t limit = 0;
};

// The window index of values that only grow (WebhookStore::raise_shared_value), kept in the
// budgets' table: a budget's windows are hour or day numbers, never negative.
inline constexpr std::int64_t kSharedValueWindow = -1;

// One of `places` places under `key` (the relay sessions one client address has open, say), held
// by `holder` for `replica` until `expires_at`, unless that replica renews its leases before
// then. A place whose lease ran out, because its replica stopped renewing (it died), is free again.
struct LeaseTake {
    std::string key{};
    std::string holder{};   // unique to what holds the place (a session)
    std::string replica{};  // the process that renews the lease
    std::int64_t places = 0;
    Timestamp now{};
    Timestamp expires_at{};
};

struct BudgetTaken {
    bool allowed = false;
    std::int64_t used = 0;  // after the take; when refused, the window's current use
};

}  // namespace calrt::store
