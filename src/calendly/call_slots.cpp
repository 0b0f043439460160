#include "call_slots.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace calrt::calendly {
namespace asio = boost::asio;

CallSlots::CallSlots(std::size_t limit, Gauge& in_flight, Gauge& queued)
    : limit_(std::max<std::size_t>(limit, 1)), in_flight_(in_flight), queued_(queued) {}

void CallSlots::update_gauges() {
    in_flight_.set(static_cast<double>(in_use_));
    queued_.set(static_cast<double>(waiters_.size()));
}

asio::awaitable<void> CallSlots::wait_on_strand(std::shared_ptr<Waiter> waiter) {
    // A grant posted before this runs has set `woken` and would not cancel a wait started later.
    if (!waiter->woken) co_await waiter->signal.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<CallSlots::Slot> CallSlots::acquire(
    std::chrono::steady_clock::time_point deadline) {
    const auto executor = co_await asio::this_coro::executor;
    std::shared_ptr<Waiter> waiter;
    {
        std::lock_guard lock(mutex_);
        // Arrival order: a free slot goes to the queue first.
        if (in_use_ < limit_ && waiters_.empty()) {
            ++in_use_;
            update_gauges();
            co_return Slot(this);
        }
        if (deadline <= std::chrono::steady_clock::now()) co_return Slot();
        waiter = std::make_shared<Waiter>(asio::make_strand(executor), deadline);
        waiters_.push_back(waiter);
        update_gauges();
    }
    auto strand = waiter->signal.get_executor();
    co_await asio::co_spawn(strand, wait_on_strand(waiter), asio::use_awaitable);

    // Woken by a grant or by the deadline; the mutex decides which came first.
    std::lock_guard lock(mutex_);
    if (waiter->granted) co_return Slot(this);
    std::erase(waiters_, waiter);
    update_gauges();
    co_return Slot();
}

void CallSlots::release() {
    std::shared_ptr<Waiter> next;
    {
        std::lock_guard lock(mutex_);
        if (waiters_.empty()) {
            --in_use_;
        } else {
            // The slot passes straight to the first waiter; in_use_ stays the same.
            next = std::move(waiters_.front());
            waiters_.pop_front();
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

}  // namespace calrt::calendly
