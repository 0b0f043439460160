#include "calrt/calendly/retry_policy.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <random>

namespace calrt::calendly {
namespace {

using std::chrono::milliseconds;

struct Failure {
    enum class Kind { final, safe_to_retry, idempotent_only };
    Kind kind = Kind::final;
    std::string_view reason;
};

Failure classify(const AttemptOutcome& outcome) {
    using Kind = Failure::Kind;
    if (outcome.status != 0) {
        if (outcome.status == 429) return {Kind::safe_to_retry, "rate_limited"};
        // 501 Not Implemented and 505 HTTP Version Not Supported will not change on a retry.
        if (outcome.status >= 500 && outcome.status < 600 && outcome.status != 501 &&
            outcome.status != 505) {
            return {Kind::idempotent_only, "server_error"};
        }
        return {Kind::final, "not_retryable"};
    }
    // net::HttpClient's codes: connect_failed means nothing was sent; after timeout or
    // connection_lost the request may have been processed.
    if (outcome.transport_error == "connect_failed") return {Kind::safe_to_retry, "connect_failed"};
    if (outcome.transport_error == "timeout") return {Kind::idempotent_only, "timeout"};
    if (outcome.transport_error == "connection_lost") {
        return {Kind::idempotent_only, "connection_lost"};
    }
    return {Kind::final, "not_retryable"};
}

RetryPolicy::UniformRandom seeded_random() {
    struct Generator {
        std::mutex mutex;
        std::mt19937_64 engine{std::random_device{}()};
    };
    auto generator = std::make_shared<Generator>();
    return [generator] {
        std::lock_guard lock(generator->mutex);
        return std::uniform_real_distribution<double>(0.0, 1.0)(generator->engine);
    };
}

}  // namespace

RetryPolicy::RetryPolicy(RetryOptions options, UniformRandom random)
    : options_(options), random_(random ? std::move(random) : seeded_random()) {}

milliseconds RetryPolicy::backoff(int attempts_made) const {
    milliseconds ceiling = options_.base_delay;
    for (int i = 1; i < attempts_made && ceiling < options_.max_backoff; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, options_.max_backoff);
    const double fraction = std::clamp(random_(), 0.0, 1.0);
    const double scaled = fraction * static_cast<double>(ceiling.count());
    return milliseconds(static_cast<milliseconds::rep>(scaled));
}

RetryDecision RetryPolicy::decide(int attempts_made, const AttemptOutcome& outcome,
                                  RetrySafety safety, milliseconds elapsed) const {
    const Failure failure = classify(outcome);
    if (failure.kind == Failure::Kind::final) return {false, milliseconds(0), failure.reason};
    if (failure.kind == Failure::Kind::idempotent_only && safety == RetrySafety::must_not_repeat) {
        return {false, milliseconds(0), "unsafe_to_repeat"};
    }
    if (attempts_made >= options_.max_attempts) {
        return {false, milliseconds(0), "attempts_exhausted"};
    }
    milliseconds delay = backoff(attempts_made);
    if (outcome.status == 429) {
        if (const auto wait = outcome.rate_limit.wait()) {
            // Everyone rate limited in this window is told the same reset time; spreading the
            // returns over one base delay keeps them from arriving as a burst.
            const double fraction = std::clamp(random_(), 0.0, 1.0);
            delay = *wait + milliseconds(static_cast<milliseconds::rep>(
                                fraction * static_cast<double>(options_.base_delay.count())));
        }
    }
    if (elapsed + delay >= options_.deadline) return {false, milliseconds(0), "deadline_exceeded"};
    return {true, delay, failure.reason};
}

}  // namespace calrt::calendly
