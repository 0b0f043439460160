#pragma once
// At most `limit` Calendly requests in flight at once, across every coroutine and thread of one
// client: the rest queue, each until its own deadline. Calendly's quota belongs to the host's
// whole account, so a burst of public requests must not turn into an unbounded burst of upstream
// calls (review M4).
//
// Reads cannot take the last `reserved_for_writes` slots, and a waiting write (a booking, a
// cancellation) gets the next free slot before any waiting read: public reads, which anyone can
// send in bulk, never make a booking wait behind them (review N3). Among writes, and among reads,
// slots go in arrival order.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <utility>

#include "calrt/core/metrics.hpp"

namespace calrt::calendly {

// What a call does at Calendly: writes may use the reserved slots and go first.
enum class CallKind { read, write };

class CallSlots {
  public:
    // `in_flight` and `queued` are kept equal to the slots in use and the callers waiting. Reads
    // hold at most limit - reserved_for_writes slots, and always at least one.
    CallSlots(std::size_t limit, std::size_t reserved_for_writes, Gauge& in_flight, Gauge& queued);
    CallSlots(const CallSlots&) = delete;
    CallSlots& operator=(const CallSlots&) = delete;

    struct State;

    // Holds one slot until destroyed or released. It refers to the slots weakly: a coroutine frame
    // that the io_context destroys at shutdown, after the client, must not touch them.
    class Slot {
      public:
        Slot() = default;
        Slot(std::weak_ptr<State> state, CallKind kind)
            : state_(std::move(state)), kind_(kind), held_(true) {}
        Slot(Slot&& other) noexcept
            : state_(std::move(other.state_)),
              kind_(other.kind_),
              held_(std::exchange(other.held_, false)) {}
        Slot& operator=(Slot&& other) noexcept {
            if (this != &other) {
                release();
                state_ = std::move(other.state_);
                kind_ = other.kind_;
                held_ = std::exchange(other.held_, false);
            }
            return *this;
        }
        ~Slot() { release(); }
        explicit operator bool() const { return held_; }
        void release();

      private:
        std::weak_ptr<State> state_;
        CallKind kind_ = CallKind::read;
        bool held_ = false;
    };

    // A slot, waiting for one if none may be taken now; an empty Slot when `deadline` passes first.
    boost::asio::awaitable<Slot> acquire(std::chrono::steady_clock::time_point deadline,
                                         CallKind kind = CallKind::read);

  private:
    std::shared_ptr<State> state_;
};

}  // namespace calrt::calendly
