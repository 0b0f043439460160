#pragma once
// At most `limit` Calendly requests in flight at once, across every coroutine and thread of one
// client: the rest queue in arrival order, each until its own deadline. Calendly's quota belongs to
// the host's whole account, so a burst of public requests must not turn into an unbounded burst of
// upstream calls (review M4).

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <utility>

#include "calrt/core/metrics.hpp"

namespace calrt::calendly {

class CallSlots {
  public:
    // `in_flight` and `queued` are kept equal to the slots in use and the callers waiting.
    CallSlots(std::size_t limit, Gauge& in_flight, Gauge& queued);
    CallSlots(const CallSlots&) = delete;
    CallSlots& operator=(const CallSlots&) = delete;

    struct State;

    // Holds one slot until destroyed or released. It refers to the slots weakly: a coroutine frame
    // that the io_context destroys at shutdown, after the client, must not touch them.
    class Slot {
      public:
        Slot() = default;
        explicit Slot(std::weak_ptr<State> state) : state_(std::move(state)), held_(true) {}
        Slot(Slot&& other) noexcept
            : state_(std::move(other.state_)), held_(std::exchange(other.held_, false)) {}
        Slot& operator=(Slot&& other) noexcept {
            if (this != &other) {
                release();
                state_ = std::move(other.state_);
                held_ = std::exchange(other.held_, false);
            }
            return *this;
        }
        ~Slot() { release(); }
        explicit operator bool() const { return held_; }
        void release();

      private:
        std::weak_ptr<State> state_;
        bool held_ = false;
    };

    // A slot, waiting for one if all are taken; an empty Slot when `deadline` passes first.
    boost::asio::awaitable<Slot> acquire(std::chrono::steady_clock::time_point deadline);

  private:
    std::shared_ptr<State> state_;
};

}  // namespace calrt::calendly
