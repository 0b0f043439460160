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
#include <vector>

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
    using Waiters = std::deque<std::shared_ptr<Waiter>>;

    State(std::size_t slot_limit, std::size_t reserved_for_writes, Gauge& in_flight_gauge,
          Gauge& queued_gauge)
        : limit(std::max<std::size_t>(slot_limit, 1)),
          read_limit(limit - std::min(reserved_for_writes, limit - 1)),
          in_flight(in_flight_gauge),
          queued(queued_gauge) {}

    // With the mutex held, as are the rest.
    void update_gauges() {
        in_flight.set(static_cast<double>(in_use));
        queued.set(static_cast<double>(writers.size() + readers.size()));
    }

    bool may_take(CallKind kind) const {
        if (in_use >= limit) return false;
        return kind == CallKind::write || reads_in_use < read_limit;
    }

    void take(CallKind kind) {
        ++in_use;
        if (kind == CallKind::read) ++reads_in_use;
    }

    Waiters& queue_of(CallKind kind) { return kind == CallKind::write ? writers : readers; }

    // Hands the free slots to waiters, writes first; the waiters to wake.
    std::vector<std::shared_ptr<Waiter>> grant_free_slots() {
        std::vector<std::shared_ptr<Waiter>> granted;
        for (CallKind kind : {CallKind::write, CallKind::read}) {
            Waiters& queue = queue_of(kind);
            while (!queue.empty() && may_take(kind)) {
                take(kind);
                queue.front()->granted = true;
                granted.push_back(std::move(queue.front()));
                queue.pop_front();
            }
        }
        return granted;
    }

    void release(CallKind kind) {
        std::vector<std::shared_ptr<Waiter>> granted;
        {
            std::lock_guard lock(mutex);
            --in_use;
            if (kind == CallKind::read) --reads_in_use;
            granted = grant_free_slots();
            update_gauges();
        }
        for (auto& next : granted) {
            auto strand = next->signal.get_executor();
            asio::post(strand, [next] {
                next->woken = true;
                next->signal.cancel();
            });
        }
    }

    const std::size_t limit;
    const std::size_t read_limit;
    Gauge& in_flight;
    Gauge& queued;
    std::mutex mutex;
    std::size_t in_use = 0;
    std::size_t reads_in_use = 0;
    Waiters writers;
    Waiters readers;
};

namespace {

asio::awaitable<void> wait_on_strand(std::shared_ptr<CallSlots::State::Waiter> waiter) {
    // A grant posted before this runs has set `woken` and would not cancel a wait started later.
    if (!waiter->woken) co_await waiter->signal.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace

CallSlots::CallSlots(std::size_t limit, std::size_t reserved_for_writes, Gauge& in_flight,
                     Gauge& queued)
    : state_(std::make_shared<State>(limit, reserved_for_writes, in_flight, queued)) {}

void CallSlots::Slot::release() {
    if (!std::exchange(held_, false)) return;
    if (auto state = state_.lock()) state->release(kind_);
}

asio::awaitable<CallSlots::Slot> CallSlots::acquire(
    std::chrono::steady_clock::time_point deadline, CallKind kind) {
    const auto executor = co_await asio::this_coro::executor;
    std::shared_ptr<State::Waiter> waiter;
    {
        std::lock_guard lock(state_->mutex);
        // Arrival order within a kind: a slot this caller may take goes to those queued first.
        // (Writes queue only while every slot is in use, so a read never passes a waiting write.)
        if (state_->may_take(kind) && state_->queue_of(kind).empty()) {
            state_->take(kind);
            state_->update_gauges();
            co_return Slot(state_, kind);
        }
        if (deadline <= std::chrono::steady_clock::now()) co_return Slot();
        waiter = std::make_shared<State::Waiter>(asio::make_strand(executor), deadline);
        state_->queue_of(kind).push_back(waiter);
        state_->update_gauges();
    }
    auto strand = waiter->signal.get_executor();
    co_await asio::co_spawn(strand, wait_on_strand(waiter), asio::use_awaitable);

    // Woken by a grant or by the deadline; the mutex decides which came first.
    std::lock_guard lock(state_->mutex);
    if (waiter->granted) co_return Slot(state_, kind);
    std::erase(state_->queue_of(kind), waiter);
    state_->update_gauges();
    co_return Slot();
}

}  // namespace calrt::calendly
