#pragma once
// At most `limit` Calendly requests in flight at once, across every coroutine and thread of one
// client: the rest queue in arrival order, each until its own deadline. Calendly's quota belongs to
// the host's whole account, so a burst of public requests must not turn into an unbounded burst of
// upstream calls (review M4).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>

#include "calrt/core/metrics.hpp"

namespace calrt::calendly {

class CallSlots {
  public:
    // `in_flight` and `queued` are kept equal to the slots in use and the callers waiting.
    CallSlots(std::size_t limit, Gauge& in_flight, Gauge& queued);
    CallSlots(const CallSlots&) = delete;
    CallSlots& operator=(const CallSlots&) = delete;

    // Holds one slot until destroyed or released.
    class Slot {
      public:
        Slot() = default;
        explicit Slot(CallSlots* owner) : owner_(owner) {}
        Slot(Slot&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
        Slot& operator=(Slot&& other) noexcept {
            if (this != &other) {
                release();
                owner_ = std::exchange(other.owner_, nullptr);
            }
            return *this;
        }
        ~Slot() { release(); }
        explicit operator bool() const { return owner_ != nullptr; }
        void release() {
            if (auto* owner = std::exchange(owner_, nullptr)) owner->release();
        }

      private:
        CallSlots* owner_ = nullptr;
    };

    // A slot, waiting for one if all are taken; an empty Slot when `deadline` passes first.
    boost::asio::awaitable<Slot> acquire(std::chrono::steady_clock::time_point deadline);

  private:
    // One queued caller. `granted` is guarded by the CallSlots mutex and decides who owns a slot;
    // `woken` and `signal` are touched only on the signal's strand.
    struct Waiter {
        Waiter(const boost::asio::any_io_executor& strand,
               std::chrono::steady_clock::time_point deadline)
            : signal(strand, deadline) {}
        boost::asio::steady_timer signal;  // expires at the deadline; cancelled when granted
        bool woken = false;
        bool granted = false;
    };

    static boost::asio::awaitable<void> wait_on_strand(std::shared_ptr<Waiter> waiter);
    void release();
    void update_gauges();  // with mutex_ held

    const std::size_t limit_;
    Gauge& in_flight_;
    Gauge& queued_;
    std::mutex mutex_;
    std::size_t in_use_ = 0;
    std::deque<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace calrt::calendly
