#include "testing/fake_calendly/api_route.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "calrt/core/secret.hpp"
#include "testing/fake_calendly/connection_relay.hpp"
#include "testing/fake_calendly/pagination.hpp"

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

server::Response rate_limited(RateLimitState& limits, std::int64_t reset_seconds,
                              bool send_retry_after, std::vector<CalendlyErrorDetail> details = {}) {
    // Calendly: on 429, X-RateLimit-Remaining is 0 and X-RateLimit-Reset says when to come back.
    auto response = calendly_error_response(error_for_status(429, std::move(details)));
    limits.remaining = 0;
    limits.reset_seconds = reset_seconds;
    if (send_retry_after) response.set_header("Retry-After", std::to_string(reset_seconds));
    return response;
}

asio::awaitable<void> pause(std::chrono::milliseconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

// Faults that answer instead of the handler.
bool replaces_answer(const FaultPlan& plan) {
    return plan.action == FaultPlan::Action::respond || plan.action == FaultPlan::Action::hang;
}

asio::awaitable<server::Response> answer_fault(const FaultPlan& plan, RateLimitState& limits) {
    if (plan.action == FaultPlan::Action::hang) {
        co_await pause(plan.hang_for);
        auto response = calendly_error_response(error_for_status(504));
        response.close_connection = true;
        co_return response;
    }
    if (plan.status == 429) {
        co_return rate_limited(limits, plan.reset_after.count(), plan.send_retry_after, plan.details);
    }
    co_return calendly_error_response(error_for_status(plan.status, plan.details));
}

// Faults that change the handler's answer.
void alter_answer(const FaultPlan& plan, const FakeState& state, const server::Request& request,
                  server::Response& response) {
    if (plan.action == FaultPlan::Action::drop_after_processing) {
        response.set_header(std::string(kDropConnectionHeader), "1");
    } else if (plan.action == FaultPlan::Action::stuck_pagination) {
        auto body = nlohmann::json::parse(response.body, nullptr, false);
        stall_pagination(body, state.resources().uris().base(), request, plan.empty_page);
        if (!body.is_discarded()) response.body = body.dump();
    }
}

asio::awaitable<server::Response> serve(std::shared_ptr<FakeState> state, server::Request& request,
                                        FakeHandler handler, bool is_api) {
    const InFlight in_flight(state->traffic);
    RateLimitState limits = state->traffic.record(request.path, state->now());
    server::Response response;
    std::optional<FaultPlan> fault;
    if (!state->is_open()) {
        response = calendly_error_response(error_for_status(503));
    } else if ((fault = state->faults.take(request.method, request.path)) && replaces_answer(*fault)) {
        response = co_await answer_fault(*fault, limits);
    } else {
        if (fault && fault->action == FaultPlan::Action::delay) co_await pause(fault->delay_for);
        if (is_api && !authorized(request, state->options.access_token)) {
            response = calendly_error_response(unauthenticated());
        } else if (is_api && state->options.enforce_rate_limit && limits.exceeded) {
            response = rate_limited(limits, limits.reset_seconds, true);
        } else {
            response = handler(*state, request);
            if (fault) alter_answer(*fault, *state, request, response);
        }
    }
    // A handler's own limit (POST /invitees' per plan) sets its headers itself.
    const bool own_limit = std::any_of(response.headers.begin(), response.headers.end(), [](const auto& header) {
        return server::iequals(header.first, "X-RateLimit-Limit");
    });
    if (is_api && !own_limit) set_rate_limit_headers(response, limits);
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
