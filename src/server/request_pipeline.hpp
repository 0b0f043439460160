#pragma once
// What happens to a parsed request between the socket and the handler, written once for every
// route: routing, request ids, the access log line and the request metrics.

#include "calrt/core/metrics.hpp"
#include "calrt/server/http_message.hpp"
#include "calrt/server/router.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <shared_mutex>
#include <unordered_map>
#include <chrono>
#include <string>

namespace calrt::server {

class RequestPipeline {
public:
    RequestPipeline(const Router& router, MetricsRegistry& metrics);

    RouteMatch route(std::string_view method, std::string_view path) const { return router_.match(method, path); }

    // Honours a well-formed incoming X-Request-Id, otherwise makes a new one.
    std::string request_id(std::string_view incoming);

    // Runs the matched handler (or answers 404/405); a handler that throws is a bug and answers 500.
    boost::asio::awaitable<Response> dispatch(Request& request, const RouteMatch& match) const;

    struct RequestMetrics {
        Counter* requests = nullptr;
        Histogram* duration = nullptr;
    };
    // The metrics a connection's last request was counted in. A keep-alive client mostly repeats
    // one request, so its next one is counted without a lookup or a lock. Used on one connection
    // at a time.
    class MetricsMemo {
        friend class RequestPipeline;
        std::string route_;
        std::string method_;
        unsigned status_ = 0;
        RequestMetrics metrics_;
    };

    // One access-log line and the request metrics, after the response was written.
    void record(const Request& request, std::string_view route_label, unsigned status, std::size_t bytes,
                std::chrono::microseconds elapsed, MetricsMemo& memo);

    Gauge& open_connections() { return open_connections_; }

private:
    // The registry's lookup renders labels under a lock; requests reuse what the first one found.
    RequestMetrics& metrics_for(std::string_view route, std::string_view method, unsigned status);

    const Router& router_;
    MetricsRegistry& metrics_;
    std::shared_mutex metrics_mutex_;
    std::unordered_map<std::string, RequestMetrics> metrics_by_key_;
    Gauge& open_connections_;
    std::string id_prefix_;  // random per process, so ids from two runs do not collide
    std::atomic<std::uint64_t> next_id_{1};
};

// The request target as logged: values of personal or secret query parameters are redacted.
std::string loggable_target(const Request& request);

}  // namespace calrt::server
