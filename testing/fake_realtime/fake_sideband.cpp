#include "testing/fake_realtime/fake_sideband.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

namespace calrt::testing {
namespace asio = boost::asio;

namespace {

// A named coroutine rather than a lambda: GCC 12 destroys the temporaries of a co_await
// expression inside a lambda coroutine twice.
asio::awaitable<void> close_sideband(std::shared_ptr<net::WebSocket> socket, std::string reason) {
    // co_spawn dispatches: called on the sideband's own strand (the caller hanging up while its
    // serve loop plays queued actions), the close would run inline, ahead of the events that loop
    // has just queued with send(). A post first puts it behind them.
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    co_await socket->close(net::close_code::normal, std::move(reason));
}

void play(const std::shared_ptr<FakeRealtime::State>& state, const std::string& call_id,
          CallerLine* line, const CallerAction& action) {
    switch (action.kind) {
        case CallerAction::Kind::says:
            if (line != nullptr) line->caller_says(action.text);
            return;
        case CallerAction::Kind::presses:
            for (const char key : action.text) {
                if (line != nullptr) line->caller_presses(key);
            }
            return;
        case CallerAction::Kind::hangs_up:
            // FakeCalls tells its listener, which ends the sideband (end_sideband).
            state->calls->end_by_caller(call_id);
            return;
    }
}

bool call_is_up(FakeCallState state) {
    return state == FakeCallState::ringing || state == FakeCallState::accepted;
}

}  // namespace

void sideband_connected(FakeRealtime::State& state, const std::string& call_id,
                        const std::shared_ptr<CallerLine>& line,
                        const std::shared_ptr<net::WebSocket>& socket) {
    std::lock_guard lock(state.mutex);
    auto& call = state.sideband_calls[call_id];
    call.line = line;
    call.socket = socket;
    call.connected = true;
    call.live = false;
}

void sideband_ready(const std::shared_ptr<FakeRealtime::State>& state, const std::string& call_id,
                    CallerLine& line) {
    // One action at a time, and live only once none is left, so that an action the test adds
    // meanwhile is queued behind these rather than played before them.
    for (;;) {
        CallerAction action;
        {
            std::lock_guard lock(state->mutex);
            auto& call = state->sideband_calls[call_id];
            if (call.queued.empty()) {
                call.live = true;
                return;
            }
            action = std::move(call.queued.front());
            call.queued.pop_front();
        }
        play(state, call_id, &line, action);
    }
}

void sideband_closed(FakeRealtime::State& state, const std::string& call_id,
                     const std::shared_ptr<net::WebSocket>& socket) {
    std::lock_guard lock(state.mutex);
    auto& call = state.sideband_calls[call_id];
    if (call.socket.lock() != socket) return;
    call.line.reset();
    call.socket.reset();
    call.connected = false;
    call.live = false;
}

void act_as_caller(const std::shared_ptr<FakeRealtime::State>& state, const std::string& call_id,
                   CallerAction action) {
    const auto call_state = state->calls->state(call_id);
    if (!call_state) throw std::invalid_argument("the fake has no call " + call_id);
    if (!call_is_up(*call_state)) return;  // the caller is gone
    std::shared_ptr<CallerLine> line;
    {
        std::lock_guard lock(state->mutex);
        auto& call = state->sideband_calls[call_id];
        if (call.live) line = call.line.lock();
        // A hang-up with nothing before it and no sideband to wait for takes effect at once.
        const bool now = line || (action.kind == CallerAction::Kind::hangs_up &&
                                  call.queued.empty() && !call.connected);
        if (!now) {
            call.queued.push_back(std::move(action));
            return;
        }
    }
    play(state, call_id, line.get(), action);
}

void end_sideband(const std::shared_ptr<FakeRealtime::State>& state, const std::string& call_id,
                  FakeCallState why) {
    std::shared_ptr<net::WebSocket> socket;
    {
        std::lock_guard lock(state->mutex);
        const auto found = state->sideband_calls.find(call_id);
        if (found == state->sideband_calls.end()) return;
        found->second.queued.clear();
        socket = found->second.socket.lock();
    }
    if (!socket) return;
    std::string reason = why == FakeCallState::ended      ? "The caller hung up."
                         : why == FakeCallState::referred ? "The call was transferred."
                                                          : "The call was hung up.";
    asio::co_spawn(state->executor, close_sideband(std::move(socket), std::move(reason)),
                   asio::detached);
}

}  // namespace calrt::testing
