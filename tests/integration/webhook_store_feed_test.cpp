// The store's feed, on both backends (PostgreSQL: through LISTEN/NOTIFY): only new rows, only after their commit, and never holding up a
// store.
#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "calrt/store/webhook_store.hpp"
#include "support/running_server.hpp"
#include "support/store_backend_fixture.hpp"
#include "support/webhook_store_support.hpp"

namespace calrt::store {
namespace {

using namespace std::chrono_literals;
using test::wait_until;

// What a subscriber saw: each delivery's id, and whether a separate read found that row committed.
struct Observed {
    std::mutex mutex;
    std::vector<std::int64_t> ids;
    std::vector<bool> committed_when_published;
    std::size_t size() {
        std::lock_guard lock(mutex);
        return ids.size();
    }
};

class WebhookStoreFeed : public test::StoreBackendTest {};
CALRT_FOR_BOTH_STORE_BACKENDS(WebhookStoreFeed);

bool row_is_readable(WebhookStore& store, std::int64_t id) {
    const auto page = store.list_blocking(ListQuery{.limit = kMaxListLimit});
    if (!page) return false;
    return std::any_of(page->items.begin(), page->items.end(),
                       [id](const auto& item) { return item.id == id; });
}

TEST_P(WebhookStoreFeed, PublishesEachNewDeliveryOnceAfterItsCommit) {
    MetricsRegistry metrics;
    test::IoThreads subscriber_loop(1);
    auto store = WebhookStore::open(store_options(metrics));
    ASSERT_TRUE(store) << store.error().message;
    Observed observed;
    auto subscription = (*store)->feed().subscribe(
        subscriber_loop.io.get_executor(), [&](std::shared_ptr<const StoredDelivery> delivery) {
            const bool committed = row_is_readable(**store, delivery->id);
            std::lock_guard lock(observed.mutex);
            observed.ids.push_back(delivery->id);
            observed.committed_when_published.push_back(committed);
        });

    const auto a = (*store)->store_blocking(test::webhook_delivery("invitee.created", 1));
    const auto b = (*store)->store_blocking(test::webhook_delivery("invitee.canceled", 1));
    const auto a_again = (*store)->store_blocking(test::webhook_delivery("invitee.created", 1));
    const auto c = (*store)->store_blocking(test::webhook_delivery("invitee_no_show.created", 1));
    ASSERT_TRUE(a && b && a_again && c);
    ASSERT_TRUE(a_again->duplicate);
    ASSERT_TRUE(wait_until([&] { return observed.size() >= 3; }));

    std::lock_guard lock(observed.mutex);
    EXPECT_EQ(observed.ids, (std::vector<std::int64_t>{a->id, b->id, c->id}));
    EXPECT_EQ(observed.committed_when_published, (std::vector<bool>{true, true, true}));
}

TEST_P(WebhookStoreFeed, BlockedSubscriberDoesNotDelayStoreCompletion) {
    MetricsRegistry metrics;
    test::IoThreads subscriber_loop(1);
    auto store = WebhookStore::open(store_options(metrics));
    ASSERT_TRUE(store) << store.error().message;
    std::promise<void> gate;
    auto gate_open = gate.get_future().share();
    Observed observed;
    auto subscription =
        (*store)->feed().subscribe(subscriber_loop.io.get_executor(),
                                   [&, gate_open](std::shared_ptr<const StoredDelivery> delivery) {
                                       gate_open.wait();
                                       std::lock_guard lock(observed.mutex);
                                       observed.ids.push_back(delivery->id);
                                   });

    // Stored on another thread so that a hang shows up as a timeout here rather than a stuck test.
    auto stores = std::async(std::launch::async, [&] {
        int committed = 0;
        for (int n = 0; n < 5; ++n)
            committed +=
                (*store)->store_blocking(test::webhook_delivery("invitee.created", n)) ? 1 : 0;
        return committed;
    });
    const bool finished_while_blocked = stores.wait_for(10s) == std::future_status::ready;
    const std::size_t seen_while_blocked = observed.size();
    gate.set_value();

    ASSERT_TRUE(finished_while_blocked);
    EXPECT_EQ(stores.get(), 5);
    EXPECT_EQ(seen_while_blocked, 0u);
    EXPECT_TRUE(wait_until([&] { return observed.size() == 5; }));
}

}  // namespace
}  // namespace calrt::store
