// What only the PostgreSQL store does (issue 10): replicas sharing one database migrate it once,
// see each other's deliveries live and as duplicates, survive a database restart (not ready and
// refusing while it is down), and never show the password.
#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>

#include "calrt/core/readiness.hpp"
#include "calrt/store/webhook_store.hpp"
#include "support/postgres_cluster.hpp"
#include "support/running_server.hpp"
#include "support/temp_dir.hpp"
#include "support/webhook_store_support.hpp"

namespace calrt::store {
namespace {

using namespace std::chrono_literals;
using test::wait_until;

StoreOptions postgres_options(const test::TempDir& dir, MetricsRegistry& metrics,
                              const std::string& url) {
    auto options = test::store_options(dir, metrics);
    options.database_url = Secret(url);
    return options;
}

bool store_ready(const Readiness& readiness) {
    const auto checks = readiness.checks();
    const auto it = checks.find("store");
    return it != checks.end() && it->second.ready;
}

TEST(WebhookStorePostgres, ReplicasStartingTogetherMigrateTheSchemaOnce) {
    const std::string url = test::fresh_database_url();
    test::TempDir dir;
    constexpr int kReplicas = 4;
    std::vector<MetricsRegistry> metrics(kReplicas);
    std::vector<std::future<Result<std::unique_ptr<WebhookStore>>>> opening;
    for (int i = 0; i < kReplicas; ++i) {
        opening.push_back(std::async(std::launch::async, [&, i] {
            return WebhookStore::open(postgres_options(dir, metrics[i], url));
        }));
    }
    std::vector<std::unique_ptr<WebhookStore>> replicas;
    for (auto& open : opening) {
        auto store = open.get();
        ASSERT_TRUE(store) << store.error().message;
        replicas.push_back(std::move(*store));
    }

    const std::string database = url.substr(url.rfind('/') + 1);
    EXPECT_EQ(test::test_postgres().psql(database, "SELECT version FROM calrt_schema_version"), "4\n");
    ASSERT_TRUE(replicas[0]->store_blocking(test::webhook_delivery("invitee.created", 1)));
    EXPECT_EQ(replicas[3]->count_blocking().value(), 1u);
}

TEST(WebhookStorePostgres, DeliveryStoredByOneReplicaIsLiveOnAnotherAndADuplicateThere) {
    const std::string url = test::fresh_database_url();
    test::TempDir dir;
    MetricsRegistry metrics_a, metrics_b;
    auto replica_a = WebhookStore::open(postgres_options(dir, metrics_a, url)).value();
    auto replica_b = WebhookStore::open(postgres_options(dir, metrics_b, url)).value();
    test::IoThreads subscriber_loop(1);
    std::mutex mutex;
    std::vector<StoredDelivery> seen_on_b;
    auto subscription = replica_b->feed().subscribe(
        subscriber_loop.io.get_executor(), [&](std::shared_ptr<const StoredDelivery> delivery) {
            std::lock_guard lock(mutex);
            seen_on_b.push_back(*delivery);
        });

    const auto delivery = test::webhook_delivery("invitee.created", 7);
    const auto stored_on_a = replica_a->store_blocking(delivery);
    ASSERT_TRUE(stored_on_a) << stored_on_a.error().message;
    ASSERT_TRUE(wait_until([&] {
        std::lock_guard lock(mutex);
        return !seen_on_b.empty();
    }));
    const auto redelivered_to_b = replica_b->store_blocking(delivery);

    ASSERT_TRUE(redelivered_to_b) << redelivered_to_b.error().message;
    EXPECT_TRUE(redelivered_to_b->duplicate);
    EXPECT_EQ(redelivered_to_b->id, stored_on_a->id);
    std::lock_guard lock(mutex);
    ASSERT_EQ(seen_on_b.size(), 1u) << "a duplicate is never announced";
    EXPECT_EQ(seen_on_b[0].id, stored_on_a->id);
    EXPECT_EQ(seen_on_b[0].delivery.raw_body, delivery.raw_body);
    EXPECT_EQ(seen_on_b[0].delivery.event, "invitee.created");
    EXPECT_TRUE(seen_on_b[0].delivery.known_event);
}

TEST(WebhookStorePostgres, DatabaseRestartMakesTheStoreUnreadyAndRefusingThenRecovers) {
    auto cluster = test::PostgresCluster::start_private();  // the shared one must stay up
    const std::string url = cluster->create_database();
    test::TempDir dir;
    MetricsRegistry metrics;
    Readiness readiness;
    auto options = postgres_options(dir, metrics, url);
    options.readiness = &readiness;
    options.database_connect_timeout = 1s;
    auto store = WebhookStore::open(options).value();
    ASSERT_TRUE(store_ready(readiness));
    ASSERT_TRUE(store->store_blocking(test::webhook_delivery("invitee.created", 1)));

    cluster->stop_server();
    EXPECT_TRUE(wait_until([&] { return !store_ready(readiness); }, 10s));
    const auto refused = store->store_blocking(test::webhook_delivery("invitee.created", 2));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(refused.error().code, "store_unavailable");
    EXPECT_TRUE(refused.error().retry_after.has_value());

    cluster->start_server();
    EXPECT_TRUE(wait_until([&] { return store_ready(readiness); }, 15s));
    // The writer reconnects on its next group (at once, or after its short backoff).
    EXPECT_TRUE(wait_until(
        [&] {
            return static_cast<bool>(
                store->store_blocking(test::webhook_delivery("invitee.created", 2)));
        },
        10s));
    EXPECT_EQ(store->count_blocking().value(), 2u);
    const auto page = store->list_blocking({});
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->items.size(), 2u);
}

TEST(WebhookStorePostgres, UnreachableDatabaseFailsToOpenWithoutShowingThePassword) {
    test::TempDir dir;
    MetricsRegistry metrics;
    // A port nothing listens on: the cluster's port plus one is not guaranteed free, so use 9 (discard).
    auto options = postgres_options(dir, metrics, "postgres://calrt:pw-s3cret@127.0.0.1:9/db");
    options.database_connect_timeout = 1s;

    const auto store = WebhookStore::open(options);

    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(store.error().message.find("pw-s3cret"), std::string::npos) << store.error().message;
}

TEST(WebhookStorePostgres, MalformedUrlIsRefusedWithoutEchoingIt) {
    test::TempDir dir;
    MetricsRegistry metrics;
    const auto store =
        WebhookStore::open(postgres_options(dir, metrics, "postgres://calrt:pw-s3cret@[::1/db"));

    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, "invalid_database_url");
    EXPECT_EQ(store.error().message.find("pw-s3cret"), std::string::npos) << store.error().message;
}

TEST(WebhookStorePostgres, RefusesADatabaseWithANewerSchema) {
    const std::string url = test::fresh_database_url();
    const std::string database = url.substr(url.rfind('/') + 1);
    test::test_postgres().psql(database, "CREATE TABLE calrt_schema_version (version INTEGER NOT NULL);"
                                         "INSERT INTO calrt_schema_version VALUES (99)");
    test::TempDir dir;
    MetricsRegistry metrics;

    const auto store = WebhookStore::open(postgres_options(dir, metrics, url));

    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, "store_schema_too_new");
}

}  // namespace
}  // namespace calrt::store
