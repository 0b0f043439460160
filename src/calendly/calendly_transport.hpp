#pragma once
// One Calendly call, done right: URL from the base, Bearer token, JSON in and out, retries as the
// retry policy allows (waiting X-RateLimit-Reset on 429, backing off on 5xx and timeouts), an
// overall deadline, metrics, and Calendly's failures turned into Error values. Calls also share the
// host's quota politely: at most max_concurrent_calls requests are in flight at once, of which
// reads never hold the last reserved_write_calls and waiting writes go first (call_slots.hpp),
// and while Calendly reports the rate limit window used up, new requests wait for its reset
// (rate_limit_budget.hpp).
//
// Calendly counts POST /invitees against limits of its own: "Create Event Invitee | Trial | 5
// requests per user per day; Paid, Non-Enterprise | 10 per minute, 50 per hour, 100 per day;
// Enterprise | 500 per minute" (developer.calendly.com/release-notes/2026/4/15, "rate limits for
// this endpoint will vary by billing tier"; the same table is under "Endpoint Specific Rate
// Limits" on /api-docs/overview/rate-limits). So there are two quotas, chosen by endpoint: a 429
// from booking pauses bookings only, never reads; and the reads' pause (Remaining used up, or a
// read's 429) never holds a booking: it goes out, and only Calendly's own 429 on a booking
// refuses the bookings after it.

#include "call_slots.hpp"
#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/shared_rate_limit_pauses.hpp"
#include "calrt/calendly/retry_policy.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/net/http_client.hpp"
#include "calrt/net/stop_registry.hpp"
#include "rate_limit_budget.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calrt::calendly {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Which of Calendly's limits a call counts against.
enum class RateLimitQuota { reads, bookings };
RateLimitQuota quota_of(std::string_view endpoint);
std::string_view to_string(RateLimitQuota quota);  // "reads", "bookings"

class CalendlyTransport {
public:
    CalendlyTransport(boost::asio::any_io_executor executor, const CalendlyClientOptions& options,
                      MetricsRegistry& metrics);

    // base_url + path + query, keys and values percent-encoded except for unreserved characters,
    // e.g. url("/event_types", {{"user", uri}, {"count", "100"}}).
    std::string url(std::string_view path, const QueryParams& query = {}) const;

    // For shutdown: calls in flight, queued or backing off end at once with `shutting_down`, and
    // later calls fail the same way. Thread-safe.
    void stop();

    // Sends and retries; a 2xx answer's JSON body (null for an empty body) or the Error.
    // `endpoint` labels logs and metrics, e.g. "GET /event_types". The call ends by the retry
    // deadline, or by `deadline` when that is earlier (a whole list's deadline).
    boost::asio::awaitable<Result<nlohmann::json>> call(
        std::string_view method, std::string url, std::optional<nlohmann::json> body, RetrySafety safety,
        std::string_view endpoint, std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

private:
    // Waits until Calendly's rate limit window allows a request and a call slot is free, both
    // before `deadline`; the slot, or why the request cannot be sent in time.
    boost::asio::awaitable<Result<CallSlots::Slot>> admit(std::chrono::steady_clock::time_point deadline,
                                                          std::string_view endpoint, RateLimitBudget& budget,
                                                          CallKind kind);
    RateLimitBudget& budget_for(std::string_view endpoint);
    // The other replicas' pause of `quota`, taken over by `budget`; and this replica's, told to them.
    boost::asio::awaitable<void> hear_shared_pause(RateLimitQuota quota, RateLimitBudget& budget);
    boost::asio::awaitable<void> share_pause(RateLimitQuota quota, std::chrono::steady_clock::time_point until);

    boost::asio::any_io_executor executor_;
    std::string base_url_;
    std::string authorization_;  // "Bearer <token>": never logged
    net::HttpClient http_;
    std::chrono::milliseconds request_timeout_;
    RetryPolicy retry_policy_;
    MetricsRegistry& metrics_;
    Gauge& rate_limit_remaining_;
    Counter& rate_limit_waits_;
    CallSlots slots_;
    RateLimitBudget reads_budget_;     // every endpoint but POST /invitees
    RateLimitBudget bookings_budget_;  // POST /invitees: paused by its own 429s only
    std::shared_ptr<SharedRateLimitPauses> shared_pauses_;  // may be null
    std::shared_ptr<net::StopRegistry> stops_ = std::make_shared<net::StopRegistry>();
};

}  // namespace calrt::calendly
