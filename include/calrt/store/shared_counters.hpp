#pragma once
// State that every replica sharing the store's database must agree on (issue 24, and the daily
// booking caps and Calendly's rate-limit pauses of issue 22): keys claimed once, counters per time
// window, and values that only grow. Each operation is
// one committed transaction, so two replicas asking at once get one answer between them.

#include <chrono>
#include <cstdint>
#include <string>

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

struct BudgetTaken {
    bool allowed = false;
    std::int64_t used = 0;  // after the take; when refused, the window's current use
};

}  // namespace calrt::store
