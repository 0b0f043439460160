#pragma once
// One Calendly call, done right: URL from the base, Bearer token, JSON in and out, retries as the
// retry policy allows (waiting X-RateLimit-Reset on 429, backing off on 5xx and timeouts), an
// overall deadline, metrics, and Calendly's failures turned into Error values.

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/retry_policy.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/net/http_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calrt::calendly {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

class CalendlyTransport {
public:
    CalendlyTransport(boost::asio::any_io_executor executor, const CalendlyClientOptions& options,
                      MetricsRegistry& metrics);

    // base_url + path + encoded query, e.g. url("/event_types", {{"user", uri}, {"count", "100"}}).
    std::string url(std::string_view path, const QueryParams& query = {}) const;

    // Sends and retries; a 2xx answer's JSON body (null for an empty body) or the Error.
    // `endpoint` labels logs and metrics, e.g. "GET /event_types".
    boost::asio::awaitable<Result<nlohmann::json>> call(std::string_view method, std::string url,
                                                        std::optional<nlohmann::json> body, RetrySafety safety,
                                                        std::string_view endpoint);

private:
    struct EndpointMetrics;

    boost::asio::any_io_executor executor_;
    std::string base_url_;
    std::string authorization_;  // "Bearer <token>": never logged
    net::HttpClient http_;
    std::chrono::milliseconds request_timeout_;
    RetryPolicy retry_policy_;
    MetricsRegistry& metrics_;
    Gauge& rate_limit_remaining_;
};

}  // namespace calrt::calendly
