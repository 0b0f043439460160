// CallSlots, the async semaphore in front of Calendly: slots pass to waiters in arrival order, a
// waiter whose deadline passes leaves the queue empty-handed, reads never take the slots reserved
// for writes, and a waiting write goes before every waiting read (review N3).
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
    std::future<CallSlots::Slot> acquire(steady_clock::time_point deadline,
                                         CallKind kind = CallKind::read) {
        return asio::co_spawn(io, slots.acquire(deadline, kind), asio::use_future);
    }
    std::future<CallSlots::Slot> acquire_from(CallSlots& from, CallKind kind) {
        return asio::co_spawn(io, from.acquire(steady_clock::now() + 5s, kind), asio::use_future);
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
    CallSlots slots{1, 0, in_flight, queued};
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

TEST_F(CallSlotsTest, ReadsNeverTakeTheSlotsReservedForWrites) {
    CallSlots reserved{4, 2, in_flight, queued};
    auto first = acquire_from(reserved, CallKind::read);
    auto second = acquire_from(reserved, CallKind::read);
    CallSlots::Slot read_one = wait(first);
    CallSlots::Slot read_two = wait(second);
    ASSERT_TRUE(read_one && read_two);

    auto third_read = acquire_from(reserved, CallKind::read);
    settle();
    EXPECT_NE(third_read.wait_for(0s), std::future_status::ready) << "two of four slots are for writes";
    auto first_write = acquire_from(reserved, CallKind::write);
    auto second_write = acquire_from(reserved, CallKind::write);
    CallSlots::Slot write_one = wait(first_write);
    CallSlots::Slot write_two = wait(second_write);
    EXPECT_TRUE(write_one && write_two);
    EXPECT_EQ(in_flight.value(), 4.0);
    EXPECT_EQ(queued.value(), 1.0);

    read_one.release();
    EXPECT_TRUE(wait(third_read));
}

TEST_F(CallSlotsTest, AWaitingWriteGoesBeforeReadsThatCameEarlier) {
    CallSlots reserved{2, 1, in_flight, queued};
    auto first = acquire_from(reserved, CallKind::write);
    auto second = acquire_from(reserved, CallKind::write);
    CallSlots::Slot write_one = wait(first);
    CallSlots::Slot write_two = wait(second);
    auto waiting_read = acquire_from(reserved, CallKind::read);
    settle();
    auto waiting_write = acquire_from(reserved, CallKind::write);
    settle();
    EXPECT_EQ(queued.value(), 2.0);

    write_one.release();  // a slot the read could have taken
    CallSlots::Slot next = wait(waiting_write);
    EXPECT_TRUE(next);
    EXPECT_NE(waiting_read.wait_for(0s), std::future_status::ready);
    write_two.release();
    EXPECT_TRUE(wait(waiting_read));
    EXPECT_EQ(queued.value(), 0.0);
}

TEST_F(CallSlotsTest, ReadsKeepOneSlotWhateverIsReserved) {
    CallSlots one{1, 2, in_flight, queued};
    auto read = acquire_from(one, CallKind::read);
    EXPECT_TRUE(wait(read));
}

}  // namespace
}  // namespace calrt::calendly
