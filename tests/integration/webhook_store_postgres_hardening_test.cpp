// The PostgreSQL store's second hardening round (review item N10): readiness follows the writer's
// connection as well as the listener's, and the store's tables are found by their qualified names
// whatever else the search_path holds, on new databases and on those an earlier build created.
#include <gtest/gtest.h>

#include <mutex>

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

struct FreshDatabase {
    std::string url = test::fresh_database_url();
    std::string name = url.substr(url.rfind('/') + 1);

    std::string psql(std::string_view sql) const { return test::test_postgres().psql(name, sql); }
};

StoreOptions postgres_options(const test::TempDir& dir, MetricsRegistry& metrics, const std::string& url) {
    auto options = test::store_options(dir, metrics);
    options.database_url = Secret(url);
    options.database_connect_timeout = 1s;
    return options;
}

bool component_ready(const Readiness& readiness, const std::string& component) {
    const auto checks = readiness.checks();
    const auto it = checks.find(component);
    return it != checks.end() && it->second.ready;
}

TEST(WebhookStorePostgresHardening, WriterThatCannotReachTheDatabaseMakesTheStoreUnreadyUntilItCan) {
    const FreshDatabase database;
    test::TempDir dir;
    MetricsRegistry metrics;
    Readiness readiness;
    auto options = postgres_options(dir, metrics, database.url);
    options.readiness = &readiness;
    auto store = WebhookStore::open(options).value();
    ASSERT_TRUE(readiness.all_ready());

    // New connections are refused (superusers included) and the writer's is cut; the listener's
    // (the one whose last statement was LISTEN) stays up, as when only the writer's breaks.
    test::test_postgres().psql("postgres", "ALTER DATABASE " + database.name + " ALLOW_CONNECTIONS false");
    test::test_postgres().psql("postgres",
                               "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" +
                                   database.name + "' AND query NOT LIKE 'LISTEN%'");

    // No delivery is needed for readiness to notice.
    EXPECT_TRUE(wait_until([&] { return !readiness.all_ready(); }, 15s));
    EXPECT_FALSE(component_ready(readiness, "store_writer"));
    EXPECT_TRUE(component_ready(readiness, "store")) << "the listener's connection is fine";
    const auto refused = store->store_blocking(test::webhook_delivery("invitee.created", 1));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store_unavailable");

    test::test_postgres().psql("postgres", "ALTER DATABASE " + database.name + " ALLOW_CONNECTIONS true");
    // Nor is one needed for it to recover: a replica out of its load balancer gets no deliveries.
    EXPECT_TRUE(wait_until([&] { return readiness.all_ready(); }, 15s));
    const auto stored = store->store_blocking(test::webhook_delivery("invitee.created", 1));
    EXPECT_TRUE(stored) << stored.error().message;
}

TEST(WebhookStorePostgresHardening, LookalikeTableEarlierOnTheSearchPathCapturesNothing) {
    const FreshDatabase database;
    test::TempDir dir;
    MetricsRegistry metrics;
    ASSERT_TRUE(WebhookStore::open(postgres_options(dir, metrics, database.url))
                    .value()
                    ->store_blocking(test::webhook_delivery("invitee.created", 1)));
    // The tests connect as `calrt`: a schema of that name is "$user", first on the default
    // search_path, where another role able to create schemas could put a lookalike.
    database.psql("CREATE SCHEMA calrt; CREATE TABLE calrt.webhook_deliveries (LIKE public.webhook_deliveries "
                  "INCLUDING ALL); CREATE TABLE calrt.calrt_schema_version (LIKE public.calrt_schema_version)");

    MetricsRegistry reopened_metrics;
    auto store = WebhookStore::open(postgres_options(dir, reopened_metrics, database.url));
    ASSERT_TRUE(store) << store.error().message;
    const auto stored = (*store)->store_blocking(test::webhook_delivery("invitee.created", 2));
    ASSERT_TRUE(stored) << stored.error().message;

    EXPECT_EQ((*store)->count_blocking().value(), 2u);
    EXPECT_EQ(database.psql("SELECT count(*) FROM public.webhook_deliveries"), "2\n");
    EXPECT_EQ(database.psql("SELECT count(*) FROM calrt.webhook_deliveries"), "0\n");
}

TEST(WebhookStorePostgresHardening, DatabaseThatAnEarlierBuildMigratedKeepsItsDeliveries) {
    const FreshDatabase database;
    // Migration 1 as it shipped, with unqualified names, and one delivery stored by that build.
    database.psql(R"sql(
CREATE TABLE calrt_schema_version (version INTEGER NOT NULL);
INSERT INTO calrt_schema_version VALUES (1);
CREATE TABLE webhook_deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event TEXT NOT NULL,
    payload_uri TEXT NOT NULL,
    envelope_created_at TEXT NOT NULL,
    received_at_ms BIGINT NOT NULL,
    raw_body TEXT NOT NULL,
    payload_digest TEXT NOT NULL DEFAULT '',
    CONSTRAINT webhook_deliveries_identity
        UNIQUE (event, payload_uri, envelope_created_at, payload_digest)
);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event, id);
CREATE FUNCTION calrt_announce_webhook_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('calrt_webhook_deliveries', NEW.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER webhook_deliveries_announce AFTER INSERT ON webhook_deliveries
    FOR EACH ROW EXECUTE FUNCTION calrt_announce_webhook_delivery();
INSERT INTO webhook_deliveries (event, payload_uri, envelope_created_at, received_at_ms, raw_body)
    VALUES ('invitee.created', 'https://api.calendly.com/old', '2026-01-01T00:00:00.000000Z', 0, '{}');
)sql");
    test::TempDir dir;
    MetricsRegistry metrics;

    auto store = WebhookStore::open(postgres_options(dir, metrics, database.url));

    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ((*store)->count_blocking().value(), 1u);
    const auto stored = (*store)->store_blocking(test::webhook_delivery("invitee.created", 3));
    ASSERT_TRUE(stored) << stored.error().message;
    EXPECT_EQ((*store)->count_blocking().value(), 2u);
}

TEST(WebhookStorePostgresHardening, StoreTablesInAnotherSchemaStopStartUpInsteadOfBeingHidden) {
    const FreshDatabase database;
    // What an earlier build left when a schema named after its role came first on the search_path.
    database.psql("CREATE SCHEMA calrt; CREATE TABLE calrt.calrt_schema_version (version INTEGER NOT NULL);"
                  "INSERT INTO calrt.calrt_schema_version VALUES (1)");
    test::TempDir dir;
    MetricsRegistry metrics;

    const auto store = WebhookStore::open(postgres_options(dir, metrics, database.url));

    ASSERT_FALSE(store);
    EXPECT_EQ(store.error().code, "store_schema_elsewhere");
    EXPECT_NE(store.error().message.find("\"calrt\""), std::string::npos) << store.error().message;
}

TEST(WebhookStorePostgresHardening, AnyonesNotifyCanReplayAStoredDeliveryButNeverForgeOne) {
    const FreshDatabase database;
    test::TempDir dir;
    MetricsRegistry metrics;
    auto store = WebhookStore::open(postgres_options(dir, metrics, database.url)).value();
    test::IoThreads subscriber_loop(1);
    std::mutex mutex;
    std::vector<StoredDelivery> seen;
    auto subscription = store->feed().subscribe(
        subscriber_loop.io.get_executor(), [&](std::shared_ptr<const StoredDelivery> delivery) {
            std::lock_guard lock(mutex);
            seen.push_back(*delivery);
        });
    const auto stored = store->store_blocking(test::webhook_delivery("invitee.created", 1));
    ASSERT_TRUE(stored) << stored.error().message;
    ASSERT_TRUE(wait_until([&] {
        std::lock_guard lock(mutex);
        return seen.size() == 1;
    }));

    // PostgreSQL checks no privilege for NOTIFY: any role connected to the database can send these.
    database.psql("NOTIFY calrt_webhook_deliveries, '{\"event\":\"invitee.created\"}';"
                  "NOTIFY calrt_webhook_deliveries, '999999';"
                  "NOTIFY calrt_webhook_deliveries, '" + std::to_string(stored->id) + " ';"
                  "NOTIFY calrt_webhook_deliveries, '" + std::to_string(stored->id) + "'");

    ASSERT_TRUE(wait_until([&] {
        std::lock_guard lock(mutex);
        return seen.size() >= 2;
    }));
    // The last NOTIFY was taken after the others (one connection reads them in order): nothing
    // else is coming.
    std::lock_guard lock(mutex);
    ASSERT_EQ(seen.size(), 2u) << "only the well-formed id of an existing row is published";
    EXPECT_EQ(seen[1].id, stored->id);
    EXPECT_EQ(seen[1].delivery.raw_body, seen[0].delivery.raw_body) << "the stored row, as it is";
}

}  // namespace
}  // namespace calrt::store
