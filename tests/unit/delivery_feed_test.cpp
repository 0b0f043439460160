#include "calrt/store/delivery_feed.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "support/running_server.hpp"

namespace calrt::store {
namespace {

using test::wait_until;

std::shared_ptr<const StoredDelivery> delivery(std::int64_t id,
                                               std::string event = "invitee.created") {
    auto stored = std::make_shared<StoredDelivery>();
    stored->id = id;
    stored->delivery.event = std::move(event);
    return stored;
}

// A subscriber's own event loop on one thread.
struct SubscriberLoop {
    SubscriberLoop() : work(boost::asio::make_work_guard(io)), thread([this] { io.run(); }) {}
    ~SubscriberLoop() {
        work.reset();
        io.stop();
    }
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
    std::jthread thread;
};

// Ids a subscriber received, safe to read from the test thread.
struct Received {
    void add(std::int64_t id) {
        std::lock_guard lock(mutex);
        ids.push_back(id);
    }
    std::vector<std::int64_t> snapshot() {
        std::lock_guard lock(mutex);
        return ids;
    }
    std::mutex mutex;
    std::vector<std::int64_t> ids;
};

TEST(DeliveryFeed, DeliversInPublishOrderOnTheSubscribersExecutor) {
    MetricsRegistry metrics;
    DeliveryFeed feed(metrics);
    SubscriberLoop loop;
    Received received;
    std::atomic<bool> always_on_loop_thread{true};
    auto subscription =
        feed.subscribe(loop.io.get_executor(), [&](std::shared_ptr<const StoredDelivery> d) {
            if (std::this_thread::get_id() != loop.thread.get_id()) always_on_loop_thread = false;
            received.add(d->id);
        });

    for (std::int64_t id = 1; id <= 5; ++id) feed.publish(delivery(id));

    ASSERT_TRUE(wait_until([&] { return received.snapshot().size() == 5; }));
    EXPECT_EQ(received.snapshot(), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
    EXPECT_TRUE(always_on_loop_thread);
}

TEST(DeliveryFeed, SubscriberWithEventFilterSeesOnlyThatEvent) {
    MetricsRegistry metrics;
    DeliveryFeed feed(metrics);
    SubscriberLoop loop;
    Received received;
    auto subscription = feed.subscribe(
        loop.io.get_executor(),
        [&](std::shared_ptr<const StoredDelivery> d) { received.add(d->id); },
        SubscriberOptions{.event = "invitee.created"});

    feed.publish(delivery(1, "invitee.canceled"));
    feed.publish(delivery(2, "invitee.created"));
    feed.publish(delivery(3, "routing_form_submission.created"));
    feed.publish(delivery(4, "invitee.created"));

    ASSERT_TRUE(wait_until([&] { return received.snapshot().size() == 2; }));
    EXPECT_EQ(received.snapshot(), (std::vector<std::int64_t>{2, 4}));
}

TEST(DeliveryFeed, BlockedSubscriberNeitherDelaysPublishNorGrowsBeyondItsQueue) {
    MetricsRegistry metrics;
    DeliveryFeed feed(metrics);
    SubscriberLoop loop;
    Received received;
    std::atomic<bool> callback_entered{false};
    std::promise<void> gate;
    auto gate_open = gate.get_future().share();
    auto subscription = feed.subscribe(
        loop.io.get_executor(),
        [&, gate_open](std::shared_ptr<const StoredDelivery> d) {
            callback_entered = true;
            gate_open.wait();
            received.add(d->id);
        },
        SubscriberOptions{.max_queued = 3});
    feed.publish(delivery(1));
    const bool blocked = wait_until([&] { return callback_entered.load(); });

    for (std::int64_t id = 10; id < 20; ++id) feed.publish(delivery(id));  // returns at once
    const auto dropped = subscription.dropped();
    gate.set_value();

    ASSERT_TRUE(blocked);
    EXPECT_EQ(dropped, 7u);
    EXPECT_EQ(metrics.counter("webhook_feed_dropped_total", "").value(), 7u);
    ASSERT_TRUE(wait_until([&] { return received.snapshot().size() == 4; }));
    EXPECT_EQ(received.snapshot(), (std::vector<std::int64_t>{1, 10, 11, 12}));
}

TEST(DeliveryFeed, ResetSubscriptionReceivesNothingMore) {
    MetricsRegistry metrics;
    DeliveryFeed feed(metrics);
    SubscriberLoop loop;
    Received received;
    auto subscription =
        feed.subscribe(loop.io.get_executor(),
                       [&](std::shared_ptr<const StoredDelivery> d) { received.add(d->id); });
    feed.publish(delivery(1));
    ASSERT_TRUE(wait_until([&] { return received.snapshot().size() == 1; }));

    subscription.reset();
    feed.publish(delivery(2));
    // A marker subscriber proves the second publish has been handled on the same loop.
    Received marker;
    auto marker_subscription =
        feed.subscribe(loop.io.get_executor(),
                       [&](std::shared_ptr<const StoredDelivery> d) { marker.add(d->id); });
    feed.publish(delivery(3));
    ASSERT_TRUE(wait_until([&] { return marker.snapshot().size() == 1; }));

    EXPECT_EQ(received.snapshot(), (std::vector<std::int64_t>{1}));
    EXPECT_EQ(feed.subscriber_count(), 1u);
}

TEST(DeliveryFeed, SubscriptionMayOutliveTheFeed) {
    SubscriberLoop loop;
    DeliveryFeed::Subscription subscription;
    {
        MetricsRegistry metrics;
        DeliveryFeed feed(metrics);
        subscription =
            feed.subscribe(loop.io.get_executor(), [](std::shared_ptr<const StoredDelivery>) {});
        EXPECT_TRUE(subscription.active());
    }
    subscription.reset();
    EXPECT_FALSE(subscription.active());
}

}  // namespace
}  // namespace calrt::store
