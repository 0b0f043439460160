#include "testing/fake_calendly/api_route.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "calrt/core/secret.hpp"

namespace calrt::testing::fake {
namespace {

namespace asio = boost::asio;

bool authorized(const server::Request& request, const std::string& token) {
    const std::string_view header = request.header("Authorization");
    constexpr std::string_view kScheme = "Bearer ";
    if (header.size() <= kScheme.size() ||
        !server::iequals(header.substr(0, kScheme.size()), kScheme))
        return false;
    return constant_time_equal(header.substr(kScheme.size()), token);
}

void set_rate_limit_headers(server::Response& response, const RateLimitState& limits) {
    response.set_header("X-RateLimit-Limit", std::to_string(limits.limit));
    response.set_header("X-RateLimit-Remaining", std::to_string(limits.remaining));
    response.set_header("X-RateLimit-Reset", std::to_string(limits.reset_seconds));
}

asio::awaitable<server::Response> answer_fault(const FaultPlan& plan, RateLimitState& limits) {
    if (plan.action == FaultPlan::Action::hang) {
        asio::steady_timer timer(co_await asio::this_coro::executor, plan.hang_for);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        auto response = calendly_error_response(error_for_status(504));
        response.close_connection = true;
        co_return response;
    }
    auto response = calendly_error_response(error_for_status(plan.status, plan.details));
    if (plan.status == 429) {
        // Calendly: on 429, X-RateLimit-Remaining is 0 and X-RateLimit-Reset says when to come
        // back.
        limits.remaining = 0;
        limits.reset_seconds = plan.reset_after.count();
        if (plan.send_retry_after)
            response.set_header("Retry-After", std::to_string(plan.reset_after.count()));
    }
    co_return response;
}

asio::awaitable<server::Response> serve(std::shared_ptr<FakeState> state, server::Request& request,
                                        FakeHandler handler, bool is_api) {
    RateLimitState limits = state->traffic.record(request.path, state->now());
    server::Response response;
    if (!state->is_open()) {
        response = calendly_error_response(error_for_status(503));
    } else if (auto fault = state->faults.take(request.method, request.path)) {
        response = co_await answer_fault(*fault, limits);
    } else if (is_api && !authorized(request, state->options.access_token)) {
        response = calendly_error_response(unauthenticated());
    } else {
        response = handler(*state, request);
    }
    if (is_api) set_rate_limit_headers(response, limits);
    co_return response;
}

}  // namespace

server::Handler api_route(std::shared_ptr<FakeState> state, FakeHandler handler) {
    // The coroutine gets its own copies: the router's lambda may be gone before a hang ends.
    return [state = std::move(state), handler = std::move(handler)](server::Request& request) {
        return serve(state, request, handler, true);
    };
}

server::Handler page_route(std::shared_ptr<FakeState> state, FakeHandler handler) {
    return [state = std::move(state), handler = std::move(handler)](server::Request& request) {
        return serve(state, request, handler, false);
    };
}

}  // namespace calrt::testing::fake
