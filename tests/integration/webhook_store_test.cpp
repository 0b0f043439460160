// The webhook store's write path, on both backends: durability across reopen, idempotency, group commit, completion
// on the caller's executor, and refusals that never acknowledge an uncommitted row.
#include "calrt/store/webhook_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <fstream>
#include <mutex>
#include <set>

#include "support/running_server.hpp"
#include "support/store_backend_fixture.hpp"
#include "support/temp_dir.hpp"
#include "support/webhook_envelope.hpp"
#include "support/webhook_store_support.hpp"

namespace calrt::store {
namespace {

namespace asio = boost::asio;
using test::wait_until;

class WebhookStoreBackends : public test::StoreBackendTest {};
CALRT_FOR_BOTH_STORE_BACKENDS(WebhookStoreBackends);

double gauge(MetricsRegistry& metrics, std::string_view name) {
    return metrics.gauge(name, "").value();
}
std::uint64_t counter(MetricsRegistry& metrics, std::string_view name) {
    return metrics.counter(name, "").value();
}

// Starts a store on `io` without waiting; the outcome lands in `slot`.
void spawn_store(asio::io_context& io, WebhookStore& store, WebhookDelivery delivery,
                 std::optional<Result<StoreOutcome>>& slot, std::mutex& mutex) {
    asio::co_spawn(
        io,
        [&store, &slot, &mutex, delivery = std::move(delivery)]() mutable -> asio::awaitable<void> {
            auto outcome = co_await store.store(std::move(delivery));
            std::lock_guard lock(mutex);
            slot = std::move(outcome);
        },
        asio::detached);
}

TEST_P(WebhookStoreBackends, FindsStoredRowsAfterReopen) {
    MetricsRegistry metrics;
    const auto options = store_options(metrics);
    const auto delivery = test::webhook_delivery("invitee.created", 1);
    std::int64_t id = 0;
    {
        auto store = WebhookStore::open(options);
        ASSERT_TRUE(store) << store.error().message;
        auto outcome = (*store)->store_blocking(delivery);
        ASSERT_TRUE(outcome) << outcome.error().message;
        EXPECT_FALSE(outcome->duplicate);
        id = outcome->id;
    }

    auto reopened = WebhookStore::open(options);
    ASSERT_TRUE(reopened) << reopened.error().message;
    auto page = (*reopened)->list_blocking({});

    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->items.size(), 1u);
    const auto& row = page->items.front();
    EXPECT_EQ(row.id, id);
    EXPECT_EQ(row.delivery.event, "invitee.created");
    EXPECT_EQ(row.delivery.payload_uri, delivery.payload_uri);
    EXPECT_EQ(row.delivery.envelope_created_at, delivery.envelope_created_at);
    EXPECT_EQ(row.delivery.raw_body, delivery.raw_body);
    EXPECT_EQ(row.delivery.received_at,
              std::chrono::time_point_cast<std::chrono::milliseconds>(delivery.received_at));
    EXPECT_TRUE(row.delivery.known_event);
}

TEST(WebhookStoreSqlite, DatabaseUsesWalAndRecordsItsSchemaVersion) {
    test::TempDir dir;
    MetricsRegistry metrics;
    auto store = WebhookStore::open(test::store_options(dir, metrics));
    ASSERT_TRUE(store) << store.error().message;

    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((*store)->database_file().c_str(), &db), SQLITE_OK);
    std::string journal_mode;
    int version = 0;
    sqlite3_exec(
        db, "PRAGMA journal_mode",
        [](void* out, int, char** values, char**) {
            *static_cast<std::string*>(out) = values[0];
            return 0;
        },
        &journal_mode, nullptr);
    sqlite3_exec(
        db, "SELECT version FROM schema_version",
        [](void* out, int, char** values, char**) {
            *static_cast<int*>(out) = std::atoi(values[0]);
            return 0;
        },
        &version, nullptr);
    sqlite3_close(db);

    EXPECT_EQ(journal_mode, "wal");
    EXPECT_EQ(version, 5);
}

TEST_P(WebhookStoreBackends, RedeliveryIsADuplicateOfTheOriginalRow) {
    MetricsRegistry metrics;
    auto store = WebhookStore::open(store_options(metrics));
    ASSERT_TRUE(store) << store.error().message;
    const auto delivery = test::webhook_delivery("invitee.created", 1);

    const auto first = (*store)->store_blocking(delivery);
    auto redelivery = delivery;
    redelivery.received_at += std::chrono::minutes(5);  // Calendly's retry arrives later
    const auto second = (*store)->store_blocking(redelivery);

    ASSERT_TRUE(first && second);
    EXPECT_FALSE(first->duplicate);
    EXPECT_TRUE(second->duplicate);
    EXPECT_EQ(second->id, first->id);
    EXPECT_EQ(*(*store)->count_blocking(), 1u);
    EXPECT_EQ(counter(metrics, "webhook_deliveries_duplicate_total"), 1u);
}

TEST_P(WebhookStoreBackends, SameInviteeWithAnotherEventOrCreatedAtIsANewDelivery) {
    MetricsRegistry metrics;
    auto store = WebhookStore::open(store_options(metrics));
    ASSERT_TRUE(store) << store.error().message;
    const auto created = test::webhook_delivery("invitee.created", 1);
    const auto canceled = test::webhook_delivery("invitee.canceled", 1);
    auto later = *parse_webhook_envelope(test::webhook_envelope(
        "invitee.created", test::invitee_uri(1), "2024-05-02T09:00:00.000000Z"));

    for (const auto& delivery : {created, canceled, later}) {
        const auto outcome = (*store)->store_blocking(delivery);
        ASSERT_TRUE(outcome) << outcome.error().message;
        EXPECT_FALSE(outcome->duplicate);
    }
    EXPECT_EQ(*(*store)->count_blocking(), 3u);
}

TEST_P(WebhookStoreBackends, IdenticalDeliveriesInOneGroupStoreOneRow) {
    MetricsRegistry metrics;
    test::IoThreads loop(1);  // one thread: the spawned stores submit in spawn order
    auto store = WebhookStore::open(store_options(metrics));
    ASSERT_TRUE(store) << store.error().message;
    std::mutex mutex;
    std::optional<Result<StoreOutcome>> first, second, third;

    auto lock = block_writes(**store);
    spawn_store(loop.io, **store, test::webhook_delivery("invitee.created", 1), first, mutex);
    // The writer has taken the first request and waits for the lock; the next two queue together.
    ASSERT_TRUE(wait_until([&] {
        return gauge(metrics, "webhook_store_in_flight") == 1 &&
               gauge(metrics, "webhook_store_queue_depth") == 0;
    }));
    spawn_store(loop.io, **store, test::webhook_delivery("invitee.created", 2), second, mutex);
    spawn_store(loop.io, **store, test::webhook_delivery("invitee.created", 2), third, mutex);
    ASSERT_TRUE(wait_until([&] { return gauge(metrics, "webhook_store_queue_depth") == 2; }));
    lock->release();
    ASSERT_TRUE(wait_until([&] {
        std::lock_guard guard(mutex);
        return first && second && third;
    }));

    ASSERT_TRUE(*second && *third);
    EXPECT_FALSE((*second)->duplicate);
    EXPECT_TRUE((*third)->duplicate);
    EXPECT_EQ((*third)->id, (*second)->id);
    EXPECT_EQ(counter(metrics, "webhook_store_commits_total"),
              2u);  // {first}, then {second, third}
    EXPECT_EQ(*(*store)->count_blocking(), 2u);
}

TEST_P(WebhookStoreBackends, ConcurrentStoresAreAllCommittedInFewerTransactions) {
    constexpr int kDeliveries = 200;
    MetricsRegistry metrics;
    test::IoThreads loop(4);
    auto store = WebhookStore::open(store_options(metrics));
    ASSERT_TRUE(store) << store.error().message;
    std::mutex mutex;
    std::vector<std::optional<Result<StoreOutcome>>> outcomes(kDeliveries);

    auto lock = block_writes(**store);
    {
        // Several submitting threads, each spawning coroutines onto the shared loop.
        std::vector<std::jthread> submitters;
        for (int t = 0; t < 4; ++t) {
            submitters.emplace_back([&, t] {
                for (int i = t; i < kDeliveries; i += 4) {
                    spawn_store(loop.io, **store, test::webhook_delivery("invitee.created", i),
                                outcomes[i], mutex);
                }
            });
        }
    }
    ASSERT_TRUE(
        wait_until([&] { return gauge(metrics, "webhook_store_in_flight") == kDeliveries; }));
    lock->release();
    ASSERT_TRUE(wait_until([&] {
        std::lock_guard guard(mutex);
        return std::all_of(outcomes.begin(), outcomes.end(),
                           [](const auto& o) { return o.has_value(); });
    }));

    std::set<std::int64_t> ids;
    for (const auto& outcome : outcomes) {
        ASSERT_TRUE(*outcome) << outcome->error().message;
        EXPECT_FALSE((*outcome)->duplicate);
        ids.insert((*outcome)->id);
    }
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kDeliveries));
    EXPECT_EQ(*(*store)->count_blocking(), static_cast<std::uint64_t>(kDeliveries));
    EXPECT_EQ(counter(metrics, "webhook_deliveries_stored_total"),
              static_cast<std::uint64_t>(kDeliveries));
    // The writer held at most one request when the lock was taken; everything else was one group.
    EXPECT_LE(counter(metrics, "webhook_store_commits_total"), 2u);
}

TEST_P(WebhookStoreBackends, AwaitingCoroutineResumesOnItsOwnExecutor) {
    MetricsRegistry metrics;
    test::IoThreads loop(3);
    auto store = WebhookStore::open(store_options(metrics));
    ASSERT_TRUE(store) << store.error().message;
    auto strand = asio::make_strand(loop.io);

    auto resumed_on_strand = asio::co_spawn(
        strand,
        [&]() -> asio::awaitable<bool> {
            auto stored = co_await (*store)->store(test::webhook_delivery("invitee.created", 1));
            auto listed = co_await (*store)->list({});
            auto counted = co_await (*store)->count();
            co_return stored&& listed&& counted&& strand.running_in_this_thread();
        },
        asio::use_future);

    EXPECT_TRUE(resumed_on_strand.get());
}

TEST_P(WebhookStoreBackends, BlockedWriteFailsAsUnavailableAndAcknowledgesNothing) {
    MetricsRegistry metrics;
    auto options = store_options(metrics);
    fail_blocked_writes_fast(options);
    auto store = WebhookStore::open(options);
    ASSERT_TRUE(store) << store.error().message;

    auto lock = block_writes(**store);
    const auto refused = (*store)->store_blocking(test::webhook_delivery("invitee.created", 1));
    lock->release();
    const auto retried = (*store)->store_blocking(test::webhook_delivery("invitee.created", 1));

    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(refused.error().code, "store_unavailable");
    EXPECT_EQ(counter(metrics, "webhook_store_commit_failures_total"), 1u);
    ASSERT_TRUE(retried) << retried.error().message;
    EXPECT_FALSE(retried->duplicate);  // the refused attempt left no row behind
}

TEST_P(WebhookStoreBackends, RefusesWhenTheQueueIsFull) {
    MetricsRegistry metrics;
    auto options = store_options(metrics);
    options.max_pending = 1;
    test::IoThreads loop(1);
    auto store = WebhookStore::open(options);
    ASSERT_TRUE(store) << store.error().message;
    std::mutex mutex;
    std::optional<Result<StoreOutcome>> taken, queued, refused;

    auto lock = block_writes(**store);
    spawn_store(loop.io, **store, test::webhook_delivery("invitee.created", 1), taken, mutex);
    ASSERT_TRUE(wait_until([&] {
        return gauge(metrics, "webhook_store_in_flight") == 1 &&
               gauge(metrics, "webhook_store_queue_depth") == 0;
    }));
    spawn_store(loop.io, **store, test::webhook_delivery("invitee.created", 2), queued, mutex);
    spawn_store(loop.io, **store, test::webhook_delivery("invitee.created", 3), refused, mutex);
    ASSERT_TRUE(wait_until([&] {
        std::lock_guard guard(mutex);
        return refused.has_value();
    }));
    lock->release();
    ASSERT_TRUE(wait_until([&] {
        std::lock_guard guard(mutex);
        return taken && queued;
    }));

    ASSERT_FALSE(*refused);
    EXPECT_EQ(refused->error().code, "store_overloaded");
    EXPECT_TRUE(refused->error().retry_after.has_value());
    EXPECT_TRUE(*taken && *queued);
}

TEST(WebhookStoreSqlite, OpenFailsClearlyWhenDataDirIsAFile) {
    test::TempDir dir;
    MetricsRegistry metrics;
    auto options = test::store_options(dir, metrics);
    std::ofstream(options.data_dir) << "not a directory";

    const auto store = WebhookStore::open(options);

    ASSERT_FALSE(store);
    EXPECT_NE(store.error().message.find(options.data_dir.string()), std::string::npos)
        << store.error().message;
}

}  // namespace
}  // namespace calrt::store
