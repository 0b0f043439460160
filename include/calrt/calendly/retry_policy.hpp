#pragma once
// When to call Calendly again after a failed attempt, and how long to wait first. Pure decision
// logic: the caller makes the attempts, sleeps, and tracks time.
//
// Rules (DESIGN.md "Calendly facts", developer.calendly.com "Rate Limits"):
// - 429: Calendly did not process the request; wait Retry-After or X-RateLimit-Reset seconds
//   (plus a little jitter so waiting callers do not return at the same instant), or back off when
//   neither header is usable. Safe for every request.
// - connect_failed: nothing was sent; back off and retry. Safe for every request.
// - 5xx (except 501/505), timeout, connection_lost: the request may have been processed, so only
//   idempotent requests are retried, with backoff.
// - Everything else (2xx-4xx other than 429, tls_verify_failed, bad_response, invalid_url) is
//   final.
// Backoff is "full jitter": a uniform delay in [0, min(max_backoff, base_delay * 2^(attempt-1))].
// A retry is refused when the attempts are used up or when waiting would pass the deadline.

#include "calrt/calendly/rate_limit.hpp"

#include <chrono>
#include <functional>
#include <string_view>

namespace calrt::calendly {

enum class RetrySafety {
    idempotent,       // GETs (and creating a single-use scheduling link): repeating is harmless
    must_not_repeat,  // POST /invitees, cancellations: a repeat could book or cancel twice
};

struct RetryOptions {
    int max_attempts = 4;                          // including the first
    std::chrono::milliseconds base_delay{250};     // upper bound of the first backoff
    std::chrono::milliseconds max_backoff{4'000};  // cap of one backoff delay
    std::chrono::milliseconds deadline{20'000};    // all attempts and waits of one call
};

// What one attempt came to. Exactly one of `status` (an HTTP response arrived) and
// `transport_error` (the net::HttpClient error code) is set.
struct AttemptOutcome {
    unsigned status = 0;
    std::string_view transport_error;
    RateLimitHeaders rate_limit;  // of the response, when there was one
};

struct RetryDecision {
    bool retry = false;
    std::chrono::milliseconds delay{0};  // wait this long before the next attempt
    // snake_case, for logs and metric labels. When retrying: "rate_limited", "server_error",
    // "connect_failed", "timeout", "connection_lost". When not: "not_retryable",
    // "unsafe_to_repeat", "attempts_exhausted", "deadline_exceeded".
    std::string_view reason;
};

class RetryPolicy {
public:
    // Returns a uniformly distributed number in [0, 1). Injected by tests; by default each
    // policy has its own seeded generator.
    using UniformRandom = std::function<double()>;

    explicit RetryPolicy(RetryOptions options = {}, UniformRandom random = {});

    // After attempt number `attempts_made` (1 after the first attempt) ended in `outcome`, with
    // `elapsed` time since the call began: try again, and after how long?
    RetryDecision decide(int attempts_made, const AttemptOutcome& outcome, RetrySafety safety,
                         std::chrono::milliseconds elapsed) const;

    // The full-jitter backoff before attempt `attempts_made + 1`.
    std::chrono::milliseconds backoff(int attempts_made) const;

    const RetryOptions& options() const { return options_; }

private:
    RetryOptions options_;
    UniformRandom random_;
};

}  // namespace calrt::calendly
