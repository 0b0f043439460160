// CallSlots, the async semaphore in front of Calendly: slots pass to waiters in arrival order, and
// a waiter whose deadline passes leaves the queue empty-handed.
#include "calendly/call_slots.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>

namespace calrt::calendly {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using std::chrono::steady_clock;

class CallSlotsTest : public ::testing::Test {
  protected:
    std::future<CallSlots::Slot> acquire(steady_clock::time_point deadline) {
        return asio::co_spawn(io, slots.acquire(deadline), asio::use_future);
    }
    // Runs the io_context until `result` is ready (or 5 s pass).
    template <class T>
    T wait(std::future<T>& result) {
        const auto give_up = steady_clock::now() + 5s;
        while (result.wait_for(0s) != std::future_status::ready && steady_clock::now() < give_up) {
            io.restart();
            io.run_one_for(10ms);
        }
        return result.get();
    }
    void settle() {
        io.restart();
        io.poll();
    }

    asio::io_context io;
    MetricsRegistry metrics;
    Gauge& in_flight = metrics.gauge("in_flight", "");
    Gauge& queued = metrics.gauge("queued", "");
    CallSlots slots{1, in_flight, queued};
};

TEST_F(CallSlotsTest, ReleasedSlotGoesToTheFirstWaiter) {
    auto first = acquire(steady_clock::now() + 5s);
    CallSlots::Slot held = wait(first);
    ASSERT_TRUE(held);
    auto second = acquire(steady_clock::now() + 5s);
    auto third = acquire(steady_clock::now() + 5s);
    settle();
    EXPECT_EQ(queued.value(), 2.0);
    EXPECT_EQ(in_flight.value(), 1.0);

    held.release();
    CallSlots::Slot second_slot = wait(second);
    EXPECT_TRUE(second_slot);
    EXPECT_NE(third.wait_for(0s), std::future_status::ready);
    second_slot.release();
    EXPECT_TRUE(wait(third));
    EXPECT_EQ(queued.value(), 0.0);
}

TEST_F(CallSlotsTest, WaiterWhoseDeadlinePassesGetsNoSlotAndLeavesTheQueue) {
    auto first = acquire(steady_clock::now() + 5s);
    CallSlots::Slot held = wait(first);
    auto late = acquire(steady_clock::now() + 50ms);
    EXPECT_FALSE(wait(late));
    EXPECT_EQ(queued.value(), 0.0);

    held.release();
    EXPECT_EQ(in_flight.value(), 0.0) << "nobody was waiting for it";
    auto next = acquire(steady_clock::now());
    EXPECT_TRUE(wait(next)) << "a free slot is taken at once, even at the deadline";
}

}  // namespace
}  // namespace calrt::calendly
