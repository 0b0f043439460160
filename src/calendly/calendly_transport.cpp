#include "calendly_transport.hpp"

#include "calrt/calendly/calendly_error.hpp"
#include "calrt/calendly/rate_limit.hpp"
#include "calrt/core/logging.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace calrt::calendly {
namespace asio = boost::asio;

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
                                          "X-RateLimit-Remaining of Calendly's latest response")) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

std::string CalendlyTransport::url(std::string_view path, const QueryParams& query) const {
    boost::urls::url result = boost::urls::parse_absolute_uri(base_url_).value();
    result.set_path(std::string(result.path()) + std::string(path));
    for (const auto& [key, value] : query) result.params().append({key, value});
    return std::string(result.buffer());
}

asio::awaitable<Result<nlohmann::json>> CalendlyTransport::call(std::string_view method, std::string url,
                                                                 std::optional<nlohmann::json> body,
                                                                 RetrySafety safety, std::string_view endpoint) {
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + retry_policy_.options().deadline;
    net::HttpRequest request;
    request.method = std::string(method);
    request.url = std::move(url);
    request.headers = {{"Authorization", authorization_}, {"Accept", "application/json"}};
    if (body) {
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = body->dump();
    }
    auto& latency = metrics_.histogram("calendly_request_duration_seconds", "Calendly calls, all attempts included",
                                       {{"endpoint", std::string(endpoint)}});

    for (int attempt = 1;; ++attempt) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        // Each attempt gets the per-request timeout, but never more than the call has left.
        request.timeout = std::clamp(left, std::chrono::milliseconds(1), request_timeout_);
        auto response = co_await http_.send(request);

        AttemptOutcome outcome;
        std::string outcome_label;
        // result::error() returns a copy: keep it, since the outcome holds a view of its code.
        const std::optional<Error> transport_failure =
            response ? std::nullopt : std::optional<Error>(response.error());
        if (response) {
            outcome.status = response->status;
            outcome.rate_limit = RateLimitHeaders::from(response->headers);
            if (auto remaining = outcome.rate_limit.remaining_requests()) {
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
            latency.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            // nlohmann::json converts to anything, Error included: name the alternative explicitly.
            if (response->body.empty()) co_return Result<nlohmann::json>(boost::system::in_place_value);
            auto parsed = nlohmann::json::parse(response->body, nullptr, false);
            if (parsed.is_discarded()) {
                co_return Error::make(ErrorKind::upstream_failed, "bad_calendly_response",
                                      "Calendly answered " + std::string(endpoint) + " with a body that is not JSON");
            }
            co_return Result<nlohmann::json>(boost::system::in_place_value, std::move(parsed));
        }

        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        const RetryDecision decision = retry_policy_.decide(attempt, outcome, safety, elapsed);
        if (!decision.retry) {
            latency.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            Error error = response ? error_from_calendly_response(response->status, response->body, outcome.rate_limit)
                                   : error_from_transport_failure(*transport_failure);
            log::warn("calendly call failed", {{"endpoint", endpoint},
                                               {"outcome", outcome_label},
                                               {"attempts", attempt},
                                               {"why_final", decision.reason},
                                               {"code", error.code}});
            co_return error;
        }
        metrics_
            .counter("calendly_retries_total", "Calendly attempts repeated, by endpoint and reason",
                     {{"endpoint", std::string(endpoint)}, {"reason", std::string(decision.reason)}})
            .inc();
        log::info("calendly call retrying", {{"endpoint", endpoint},
                                             {"outcome", outcome_label},
                                             {"attempt", attempt},
                                             {"delay_ms", static_cast<std::int64_t>(decision.delay.count())}});
        asio::steady_timer pause(executor_, decision.delay);
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

}  // namespace calrt::calendly
