#include "request_pipeline.hpp"

#include "calrt/core/logging.hpp"
#include "calrt/server/responses.hpp"

#include <array>
#include <random>

namespace calrt::server {
namespace {

bool is_valid_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.' || c == ':';
        if (!ok) return false;
    }
    return true;
}

std::string random_prefix() {
    std::random_device device;
    char buffer[9];
    std::snprintf(buffer, sizeof buffer, "%08x", device());
    return buffer;
}

constexpr std::array<std::string_view, 4> kVisibleQueryKeys = {"action", "status", "event", "limit"};

}  // namespace

RequestPipeline::RequestPipeline(const Router& router, MetricsRegistry& metrics)
    : router_(router),
      metrics_(metrics),
      open_connections_(metrics.gauge("http_open_connections", "Open HTTP connections")),
      id_prefix_(random_prefix()) {}

std::string RequestPipeline::request_id(std::string_view incoming) {
    if (is_valid_request_id(incoming)) return std::string(incoming);
    // The counter in lowercase hex, at least six digits: what "%06llx" writes, without a printf
    // per request.
    std::uint64_t counter = next_id_.fetch_add(1, std::memory_order_relaxed);
    char digits[16];
    std::size_t count = 0;
    do {
        digits[count++] = "0123456789abcdef"[counter & 0xf];
        counter >>= 4;
    } while (counter != 0);
    while (count < 6) digits[count++] = '0';
    std::string id;
    id.reserve(id_prefix_.size() + 1 + count);
    id += id_prefix_;
    id += '-';
    while (count > 0) id += digits[--count];
    return id;
}

boost::asio::awaitable<Response> RequestPipeline::dispatch(Request& request, const RouteMatch& match) const {
    switch (match.outcome) {
        case RouteMatch::Outcome::not_found:
            co_return error_response(Error::make(ErrorKind::not_found, "not_found",
                                                 "no route for " + request.method + " " + request.path));
        case RouteMatch::Outcome::method_not_allowed: {
            auto response = error_response(Error::make(
                ErrorKind::method_not_allowed, "method_not_allowed",
                request.method + " is not allowed on " + request.path + "; allowed: " + match.allow));
            response.set_header("Allow", match.allow);
            co_return response;
        }
        case RouteMatch::Outcome::found: break;
    }
    try {
        co_return co_await match.route->handler(request);
    } catch (const std::exception& e) {
        log::error("handler failed", {{"request_id", request.request_id}, {"route", match.route->path},
                                       {"what", e.what()}});
    }
    co_return error_response(Error::make(ErrorKind::internal, "internal_error",
                                         "the server failed to handle this request; request id " +
                                             request.request_id));
}

RequestPipeline::RequestMetrics& RequestPipeline::metrics_for(std::string_view route, std::string_view method,
                                                             unsigned status) {
    std::string key;
    key.reserve(route.size() + method.size() + 8);
    key.append(route).append(1, '\0').append(method).append(1, '\0').append(std::to_string(status));
    {
        std::shared_lock lock(metrics_mutex_);
        if (auto it = metrics_by_key_.find(key); it != metrics_by_key_.end()) return it->second;
    }
    RequestMetrics found{
        &metrics_.counter("http_requests_total", "HTTP requests served, by route, method and status",
                          {{"route", std::string(route)}, {"method", std::string(method)}, {"status", std::to_string(status)}}),
        &metrics_.histogram("http_request_duration_seconds", "Time from request head to response written, by route",
                            {{"route", std::string(route)}})};
    std::unique_lock lock(metrics_mutex_);
    return metrics_by_key_.try_emplace(std::move(key), found).first->second;
}

void RequestPipeline::record(const Request& request, std::string_view route_label, unsigned status,
                             std::size_t bytes, std::chrono::microseconds elapsed, MetricsMemo& memo) {
    if (memo.metrics_.requests == nullptr || memo.status_ != status || memo.route_ != route_label ||
        memo.method_ != request.method) {
        memo.metrics_ = metrics_for(route_label, request.method, status);
        memo.route_ = route_label;
        memo.method_ = request.method;
        memo.status_ = status;
    }
    memo.metrics_.requests->inc();
    memo.metrics_.duration->observe(static_cast<double>(elapsed.count()) / 1e6);
    if (log::enabled(log::Level::info)) {
        const std::string target = loggable_target(request);
        log::info("request", {{"request_id", request.request_id},
                              {"remote", request.remote_address},
                              {"method", request.method},
                              {"path", target},
                              {"status", status},
                              {"bytes", bytes},
                              {"us", static_cast<std::int64_t>(elapsed.count())}});
    }
}

std::string loggable_target(const Request& request) {
    std::string out = request.path;
    char separator = '?';
    for (const auto& [key, value] : request.query) {
        out += separator;
        separator = '&';
        out += key;
        out += '=';
        bool visible = false;
        for (auto k : kVisibleQueryKeys) visible = visible || k == key;
        out += visible ? value : std::string("[redacted]");
    }
    return out;
}

}  // namespace calrt::server
