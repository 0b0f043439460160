#include "call_slots.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <mutex>

namespace calrt::calendly {
namespace asio = boost::asio;

struct CallSlots::State {
    // One queued caller. `granted` is guarded by the mutex and decides who owns a slot; `woken`
    // and `signal` are touched only on the signal's strand.
    struct Waiter {
        Waiter(const asio::any_io_executor& strand, std::chrono::steady_clock::time_point deadline)
            : signal(strand, deadline) {}
        asio::steady_timer signal;  // expires at the deadline; cancelled when granted
        bool woken = false;
        bool granted = false;
    };

    State(std::size_t slot_limit, Gauge& in_flight_gauge, Gauge& queued_gauge)
        : limit(std::max<std::size_t>(slot_limit, 1)),
          in_flight(in_flight_gauge),
          queued(queued_gauge) {}

    void update_gauges() {  // with mutex held
        in_flight.set(static_cast<double>(in_use));
        queued.set(static_cast<double>(waiters.size()));
    }

    void release() {
        std::shared_ptr<Waiter> next;
        {
            std::lock_guard lock(mutex);
            if (waiters.empty()) {
                --in_use;
            } else {
                // The slot passes straight to the first waiter; in_use stays the same.
                next = std::move(waiters.front());
                waiters.pop_front();
                next->granted = true;
            }
            update_gauges();
        }
        if (next) {
            auto strand = next->signal.get_executor();
            asio::post(strand, [next] {
                next->woken = true;
                next->signal.cancel();
            });
        }
    }

    const std::size_t limit;
    Gauge& in_flight;
    Gauge& queued;
    std::mutex mutex;
    std::size_t in_use = 0;
    std::deque<std::shared_ptr<Waiter>> waiters;
};

namespace {

asio::awaitable<void> wait_on_strand(std::shared_ptr<CallSlots::State::Waiter> waiter) {
    // A grant posted before this runs has set `woken` and would not cancel a wait started later.
    if (!waiter->woken) co_await waiter->signal.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace

CallSlots::CallSlots(std::size_t limit, Gauge& in_flight, Gauge& queued)
    : state_(std::make_shared<State>(limit, in_flight, queued)) {}

void CallSlots::Slot::release() {
    if (!std::exchange(held_, false)) return;
    if (auto state = state_.lock()) state->release();
}

asio::awaitable<CallSlots::Slot> CallSlots::acquire(
    std::chrono::steady_clock::time_point deadline) {
    const auto executor = co_await asio::this_coro::executor;
    std::shared_ptr<State::Waiter> waiter;
    {
        std::lock_guard lock(state_->mutex);
        // Arrival order: a free slot goes to the queue first.
        if (state_->in_use < state_->limit && state_->waiters.empty()) {
            ++state_->in_use;
            state_->update_gauges();
            co_return Slot(state_);
        }
        if (deadline <= std::chrono::steady_clock::now()) co_return Slot();
        waiter = std::make_shared<State::Waiter>(asio::make_strand(executor), deadline);
        state_->waiters.push_back(waiter);
        state_->update_gauges();
    }
    auto strand = waiter->signal.get_executor();
    co_await asio::co_spawn(strand, wait_on_strand(waiter), asio::use_awaitable);

    // Woken by a grant or by the deadline; the mutex decides which came first.
    std::lock_guard lock(state_->mutex);
    if (waiter->granted) co_return Slot(state_);
    std::erase(state_->waiters, waiter);
    state_->update_gauges();
    co_return Slot();
}

}  // namespace calrt::calendly
