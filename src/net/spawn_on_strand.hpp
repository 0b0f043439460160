#pragma once
// co_spawn onto a connection's strand and wait for the result, passing the caller's cancellation
// on. Boost 1.81's co_spawn passes a cancellation on to another executor by dispatching a lambda
// that holds a raw pointer into the spawned coroutine's state; when the coroutine ends before that
// lambda runs, the lambda reads freed memory (ASan caught it: a relay shut down while opening its
// upstream session). Here the caller's cancellation goes through a signal that the lambda shares,
// so it outlives both. A caller that cannot be cancelled takes plain co_spawn. Used by the
// operations a cancellable caller awaits (connecting, and WebSocket::write, which sends the
// session.update while the relay may still cancel the opening); a read, per message, stays a
// plain co_spawn.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

namespace calrt::net {

template <class T>
boost::asio::awaitable<T> spawn_on_strand(boost::asio::any_io_executor strand,
                                          boost::asio::awaitable<T> work) {
    namespace asio = boost::asio;
    const asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
    asio::cancellation_slot caller = state.slot();
    if (!caller.is_connected()) {
        co_return co_await asio::co_spawn(strand, std::move(work), asio::use_awaitable);
    }
    auto cancel = std::make_shared<asio::cancellation_signal>();
    caller.assign([cancel, strand](asio::cancellation_type type) {
        asio::dispatch(strand, [cancel, type] { cancel->emit(type); });
    });
    struct ClearOnExit {
        asio::cancellation_slot slot;
        ~ClearOnExit() { slot.clear(); }
    } clear_on_exit{caller};
    co_return co_await asio::co_spawn(strand, std::move(work),
                                      asio::bind_cancellation_slot(cancel->slot(), asio::use_awaitable));
}

}  // namespace calrt::net
