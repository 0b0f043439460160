#include "calrt/calendly/retry_policy.hpp"

#include <gtest/gtest.h>

#include <set>

namespace calrt::calendly {
namespace {

using namespace std::chrono_literals;

RetryOptions options() {
    RetryOptions o;
    o.max_attempts = 4;
    o.base_delay = 100ms;
    o.max_backoff = 1000ms;
    o.deadline = 20s;
    return o;
}

RetryPolicy with_random(double value) { return RetryPolicy(options(), [value] { return value; }); }

AttemptOutcome status(unsigned code) { return AttemptOutcome{code, {}, {}}; }
AttemptOutcome transport(std::string_view code) { return AttemptOutcome{0, code, {}}; }

TEST(RetryPolicy, IdempotentServerErrorRetriesWithFullJitterBackoff) {
    const RetryPolicy policy = with_random(0.5);
    RetryDecision decision = policy.decide(1, status(503), RetrySafety::idempotent, 0ms);
    EXPECT_TRUE(decision.retry);
    EXPECT_EQ(decision.delay, 50ms);  // half of base_delay
    EXPECT_EQ(decision.reason, "server_error");
    EXPECT_EQ(policy.decide(2, status(500), RetrySafety::idempotent, 0ms).delay, 100ms);
    EXPECT_EQ(policy.decide(3, status(502), RetrySafety::idempotent, 0ms).delay, 200ms);
}

TEST(RetryPolicy, BackoffSpansZeroToTheCappedCeiling) {
    EXPECT_EQ(with_random(0.0).backoff(1), 0ms);
    EXPECT_EQ(with_random(1.0).backoff(1), 100ms);
    EXPECT_EQ(with_random(1.0).backoff(3), 400ms);
    EXPECT_EQ(with_random(1.0).backoff(30), 1000ms);  // capped at max_backoff, no overflow
    EXPECT_EQ(with_random(0.5).backoff(1000), 500ms);
}

TEST(RetryPolicy, DefaultRandomIsJitteredWithinTheCeiling) {
    const RetryPolicy policy(options());
    std::set<long long> seen;
    for (int i = 0; i < 200; ++i) {
        const auto delay = policy.backoff(3);
        ASSERT_GE(delay, 0ms);
        ASSERT_LE(delay, 400ms);
        seen.insert(delay.count());
    }
    EXPECT_GT(seen.size(), 10u);
}

TEST(RetryPolicy, RateLimitedWaitsForTheResetPlusJitter) {
    AttemptOutcome outcome = status(429);
    outcome.rate_limit.reset = "2";
    const RetryDecision decision =
        with_random(0.5).decide(1, outcome, RetrySafety::idempotent, 0ms);
    EXPECT_TRUE(decision.retry);
    EXPECT_EQ(decision.delay, 2050ms);
    EXPECT_EQ(decision.reason, "rate_limited");
}

TEST(RetryPolicy, RateLimitedPrefersRetryAfter) {
    AttemptOutcome outcome = status(429);
    outcome.rate_limit.reset = "9";
    outcome.rate_limit.retry_after = "1";
    EXPECT_EQ(with_random(0.0).decide(1, outcome, RetrySafety::idempotent, 0ms).delay, 1000ms);
}

TEST(RetryPolicy, RateLimitedWithoutHeadersBacksOff) {
    EXPECT_EQ(with_random(0.5).decide(2, status(429), RetrySafety::idempotent, 0ms).delay, 100ms);
}

TEST(RetryPolicy, RequestsThatMustNotRepeatRetryOnlyOn429AndConnectFailed) {
    const RetryPolicy policy = with_random(0.5);
    EXPECT_TRUE(policy.decide(1, status(429), RetrySafety::must_not_repeat, 0ms).retry);
    EXPECT_TRUE(policy.decide(1, transport("connect_failed"), RetrySafety::must_not_repeat, 0ms)
                    .retry);
    for (const AttemptOutcome& outcome :
         {status(500), status(503), transport("timeout"), transport("connection_lost")}) {
        const RetryDecision decision =
            policy.decide(1, outcome, RetrySafety::must_not_repeat, 0ms);
        EXPECT_FALSE(decision.retry);
        EXPECT_EQ(decision.reason, "unsafe_to_repeat");
    }
}

TEST(RetryPolicy, IdempotentRequestsRetryNetworkFailures) {
    const RetryPolicy policy = with_random(0.5);
    for (std::string_view code : {"connect_failed", "timeout", "connection_lost"}) {
        const RetryDecision decision =
            policy.decide(1, transport(code), RetrySafety::idempotent, 0ms);
        EXPECT_TRUE(decision.retry) << code;
        EXPECT_EQ(decision.reason, code);
    }
}

TEST(RetryPolicy, AnswersAndPermanentFailuresAreFinal) {
    const RetryPolicy policy = with_random(0.5);
    for (const AttemptOutcome& outcome :
         {status(200), status(201), status(400), status(401), status(403), status(404),
          status(422), status(501), status(505), transport("tls_verify_failed"),
          transport("bad_response"), transport("invalid_url")}) {
        const RetryDecision decision = policy.decide(1, outcome, RetrySafety::idempotent, 0ms);
        EXPECT_FALSE(decision.retry) << outcome.status << outcome.transport_error;
        EXPECT_EQ(decision.reason, "not_retryable");
    }
}

TEST(RetryPolicy, GivesUpWhenAttemptsAreUsedUp) {
    const RetryPolicy policy = with_random(0.5);
    EXPECT_TRUE(policy.decide(3, status(503), RetrySafety::idempotent, 0ms).retry);
    const RetryDecision decision = policy.decide(4, status(503), RetrySafety::idempotent, 0ms);
    EXPECT_FALSE(decision.retry);
    EXPECT_EQ(decision.reason, "attempts_exhausted");
}

TEST(RetryPolicy, GivesUpWhenWaitingWouldPassTheDeadline) {
    const RetryPolicy policy = with_random(0.5);
    EXPECT_TRUE(policy.decide(1, status(503), RetrySafety::idempotent, 19'900ms).retry);
    const RetryDecision decision = policy.decide(1, status(503), RetrySafety::idempotent, 19'950ms);
    EXPECT_FALSE(decision.retry);
    EXPECT_EQ(decision.reason, "deadline_exceeded");
}

TEST(RetryPolicy, RateLimitLongerThanTheDeadlineIsNotWaitedFor) {
    AttemptOutcome outcome = status(429);
    outcome.rate_limit.reset = "60";  // Calendly's usual window
    const RetryDecision decision =
        with_random(0.5).decide(1, outcome, RetrySafety::idempotent, 0ms);
    EXPECT_FALSE(decision.retry);
    EXPECT_EQ(decision.reason, "deadline_exceeded");
}

}  // namespace
}  // namespace calrt::calendly
