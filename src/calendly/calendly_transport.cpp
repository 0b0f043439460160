#include "calendly_transport.hpp"

#include "calrt/calendly/calendly_error.hpp"
#include "calrt/calendly/rate_limit.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/net/stop_registry.hpp"
#include "calrt/net/url_query.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace calrt::calendly {
namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {

// Rounded up: an attempt cut short by the deadline then ends at the deadline, not just before it
// with time for one more attempt that could not finish.
std::chrono::milliseconds until(steady_clock::time_point when) {
    return std::chrono::ceil<std::chrono::milliseconds>(when - steady_clock::now());
}

// A request that may have been carried out must not be repeated blindly by our caller either.
void note_outcome_unknown(Error& error) {
    error.message += " The request may have been carried out: check before repeating it.";
}

}  // namespace

CalendlyTransport::CalendlyTransport(asio::any_io_executor executor, const CalendlyClientOptions& options,
                                     MetricsRegistry& metrics)
    : executor_(executor),
      base_url_(options.base_url),
      authorization_("Bearer " + options.access_token.reveal()),
      http_(executor, options.http),
      request_timeout_(options.http.request_timeout),
      retry_policy_(options.retry),
      metrics_(metrics),
      rate_limit_remaining_(metrics.gauge("calendly_rate_limit_remaining",
                                          "X-RateLimit-Remaining of Calendly's latest response")),
      rate_limit_waits_(metrics.counter("calendly_rate_limit_waits_total",
                                        "Calendly requests held until the rate limit window reset", {})),
      slots_(options.max_concurrent_calls, options.reserved_write_calls,
             metrics.gauge("calendly_calls_in_flight", "Calendly requests in flight"),
             metrics.gauge("calendly_calls_queued", "Calendly requests waiting for a free call slot")),
      reads_budget_(options.rate_limit_reserve),
      bookings_budget_(std::nullopt),
      shared_pauses_(options.shared_pauses) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

void CalendlyTransport::stop() {
    stops_->stop();
    http_.abort();
}

std::string CalendlyTransport::url(std::string_view path, const QueryParams& query) const {
    boost::urls::url result = boost::urls::parse_absolute_uri(base_url_).value();
    result.set_path(std::string(result.path()) + std::string(path));
    for (const auto& [key, value] : query) net::append_query_param(result, key, value);
    return std::string(result.buffer());
}

RateLimitQuota quota_of(std::string_view endpoint) {
    return endpoint == "POST /invitees" ? RateLimitQuota::bookings : RateLimitQuota::reads;
}

std::string_view to_string(RateLimitQuota quota) {
    return quota == RateLimitQuota::bookings ? "bookings" : "reads";
}

RateLimitBudget& CalendlyTransport::budget_for(std::string_view endpoint) {
    return quota_of(endpoint) == RateLimitQuota::bookings ? bookings_budget_ : reads_budget_;
}

asio::awaitable<void> CalendlyTransport::hear_shared_pause(RateLimitQuota quota, RateLimitBudget& budget) {
    if (!shared_pauses_) co_return;
    const auto elsewhere = co_await shared_pauses_->paused_until(to_string(quota));
    if (!elsewhere) co_return;
    // The replicas' clocks agree to well within a rate limit window (NTP); a pause longer than a
    // day, as no Calendly header gives one (parse_header_seconds), is not believed.
    const auto left = *elsewhere - std::chrono::system_clock::now();
    if (left <= std::chrono::system_clock::duration::zero() || left > std::chrono::hours(24)) co_return;
    budget.pause_until(steady_clock::now() + std::chrono::duration_cast<steady_clock::duration>(left));
}

asio::awaitable<void> CalendlyTransport::share_pause(RateLimitQuota quota, steady_clock::time_point until) {
    if (!shared_pauses_) co_return;
    const auto left = std::chrono::duration_cast<std::chrono::system_clock::duration>(until - steady_clock::now());
    co_await shared_pauses_->pause(to_string(quota), std::chrono::system_clock::now() + left);
}

asio::awaitable<Result<CallSlots::Slot>> CalendlyTransport::admit(steady_clock::time_point deadline,
                                                                  std::string_view endpoint, RateLimitBudget& budget,
                                                                  CallKind kind) {
    co_await hear_shared_pause(quota_of(endpoint), budget);
    if (const auto paused = budget.paused_until(steady_clock::now())) {
        if (*paused >= deadline) {
            log::warn("calendly call refused: the rate limit window resets after its deadline",
                      {{"endpoint", endpoint}, {"wait_ms", static_cast<std::int64_t>(until(*paused).count())}});
            co_return calendly_rate_limit_used_up(std::chrono::ceil<std::chrono::seconds>(*paused - steady_clock::now()));
        }
        // Waiters all wake at the reset together; the call slots below keep that from becoming a
        // burst larger than max_concurrent_calls.
        rate_limit_waits_.inc();
        log::info("calendly call waiting for the rate limit window to reset",
                  {{"endpoint", endpoint}, {"wait_ms", static_cast<std::int64_t>(until(*paused).count())}});
        if (co_await net::sleep_until(stops_, executor_, *paused)) co_return client_stopped();
    }
    if (stops_->stopped()) co_return client_stopped();
    auto slot = co_await slots_.acquire(deadline, kind);
    if (!slot || steady_clock::now() >= deadline) {
        log::warn("calendly call refused: no free call slot before its deadline", {{"endpoint", endpoint}});
        co_return calendly_busy();
    }
    co_return std::move(slot);
}

asio::awaitable<Result<nlohmann::json>> CalendlyTransport::call(std::string_view method, std::string url,
                                                                 std::optional<nlohmann::json> body,
                                                                 RetrySafety safety, std::string_view endpoint,
                                                                 std::optional<steady_clock::time_point> deadline_cap) {
    const auto started = steady_clock::now();
    auto deadline = started + retry_policy_.options().deadline;
    if (deadline_cap) deadline = std::min(deadline, *deadline_cap);
    net::HttpRequest request;
    request.method = std::string(method);
    request.url = std::move(url);
    request.headers = {{"Authorization", authorization_}, {"Accept", "application/json"}};
    // The HTTP client may send an idempotent request again on a fresh connection when a pooled one
    // turns out to be dead; never POST /invitees or a cancellation once it was written (M5).
    request.idempotent = safety == RetrySafety::idempotent;
    if (body) {
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = body->dump();
    }
    auto& latency = metrics_.histogram("calendly_request_duration_seconds", "Calendly calls, all attempts included",
                                       {{"endpoint", std::string(endpoint)}});
    const auto observe_latency = [&] {
        latency.observe(std::chrono::duration<double>(steady_clock::now() - started).count());
    };

    // Why the previous attempt failed: a retry that cannot be sent in time reports that instead.
    std::optional<Error> retried_failure;
    RateLimitBudget& budget = budget_for(endpoint);
    // Anything but a GET changes something at Calendly on a person's behalf (a booking, a
    // cancellation, a scheduling link): it may use the slots reads cannot take, and goes first.
    const CallKind kind = method == "GET" ? CallKind::read : CallKind::write;
    for (int attempt = 1;; ++attempt) {
        auto slot = co_await admit(deadline, endpoint, budget, kind);
        if (!slot) {
            observe_latency();
            co_return retried_failure ? std::move(*retried_failure) : slot.error();
        }
        // Each attempt gets the per-request timeout, but never more than the call has left.
        request.timeout = std::clamp(until(deadline), std::chrono::milliseconds(1), request_timeout_);
        auto response = co_await http_.send(request);
        slot->release();  // not held while backing off

        AttemptOutcome outcome;
        std::string outcome_label;
        // result::error() returns a copy: keep it, since the outcome holds a view of its code.
        const std::optional<Error> transport_failure =
            response ? std::nullopt : std::optional<Error>(response.error());
        if (response) {
            outcome.status = response->status;
            outcome.rate_limit = RateLimitHeaders::from(response->headers);
            if (const auto paused = budget.record(response->status, outcome.rate_limit, steady_clock::now())) {
                co_await share_pause(quota_of(endpoint), *paused);
            }
            if (auto remaining = outcome.rate_limit.remaining_requests(); remaining && &budget == &reads_budget_) {
                rate_limit_remaining_.set(static_cast<double>(*remaining));
            }
            outcome_label = std::to_string(response->status);
        } else {
            outcome.transport_error = transport_failure->code;
            outcome_label = transport_failure->code;
        }
        metrics_
            .counter("calendly_requests_total", "Calendly HTTP attempts by endpoint and outcome",
                     {{"endpoint", std::string(endpoint)}, {"outcome", outcome_label}})
            .inc();

        if (response && response->status >= 200 && response->status < 300) {
            observe_latency();
            // nlohmann::json converts to anything, Error included: name the alternative explicitly.
            if (response->body.empty()) co_return Result<nlohmann::json>(boost::system::in_place_value);
            auto parsed = nlohmann::json::parse(response->body, nullptr, false);
            if (parsed.is_discarded()) {
                co_return Error::make(ErrorKind::upstream_failed, "bad_calendly_response",
                                      "Calendly answered " + std::string(endpoint) + " with a body that is not JSON");
            }
            co_return Result<nlohmann::json>(boost::system::in_place_value, std::move(parsed));
        }

        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - started);
        RetryDecision decision = retry_policy_.decide(attempt, outcome, safety, elapsed);
        // The policy knows the retry deadline only; a list's deadline may end the call sooner.
        if (decision.retry && steady_clock::now() + decision.delay >= deadline) {
            decision = {false, std::chrono::milliseconds(0), "deadline_exceeded"};
        }
        Error error = response ? error_from_calendly_response(response->status, response->body, outcome.rate_limit)
                               : error_from_transport_failure(*transport_failure);
        if (!decision.retry) {
            observe_latency();
            if (decision.reason == "unsafe_to_repeat") note_outcome_unknown(error);
            // The transport's message (host, port, TLS detail) and the configuration hint are for
            // the operator only; callers see neither.
            log::warn("calendly call failed", {{"endpoint", endpoint},
                                               {"outcome", outcome_label},
                                               {"attempts", attempt},
                                               {"why_final", decision.reason},
                                               {"code", error.code},
                                               {"detail", transport_failure ? transport_failure->message : ""},
                                               {"hint", operator_hint(error)}});
            co_return error;
        }
        retried_failure = std::move(error);
        metrics_
            .counter("calendly_retries_total", "Calendly attempts repeated, by endpoint and reason",
                     {{"endpoint", std::string(endpoint)}, {"reason", std::string(decision.reason)}})
            .inc();
        log::info("calendly call retrying", {{"endpoint", endpoint},
                                             {"outcome", outcome_label},
                                             {"attempt", attempt},
                                             {"delay_ms", static_cast<std::int64_t>(decision.delay.count())}});
        if (co_await net::sleep_until(stops_, executor_, steady_clock::now() + decision.delay)) {
            observe_latency();
            co_return client_stopped();
        }
    }
}

}  // namespace calrt::calendly
