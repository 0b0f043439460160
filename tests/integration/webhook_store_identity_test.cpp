// What makes two deliveries one: a payload without a uri is told apart by its digest (review item
// L10), and a database written by the previous schema keeps its rows across the migration.
#include "calrt/store/webhook_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "support/store_backend_fixture.hpp"
#include "support/temp_dir.hpp"
#include "support/webhook_store_support.hpp"

namespace calrt::store {
namespace {

WebhookDelivery uri_less(std::string_view payload) {
    return parse_webhook_envelope(R"({"event":"routing_form_submission.created","created_at":"2026-11-29T10:00:00Z",)"
                                  R"("payload":)" + std::string(payload) + "}")
        .value();
}

class WebhookStoreIdentity : public test::StoreBackendTest {};
CALRT_FOR_BOTH_STORE_BACKENDS(WebhookStoreIdentity);

TEST_P(WebhookStoreIdentity, TwoUriLessDeliveriesWithTheSameCreatedAtAreBothStored) {
    MetricsRegistry metrics;
    auto store = WebhookStore::open(store_options(metrics)).value();

    const auto first = store->store_blocking(uri_less(R"({"submission":1})"));
    const auto second = store->store_blocking(uri_less(R"({"submission":2})"));
    const auto again = store->store_blocking(uri_less(R"({"submission":1})"));

    ASSERT_TRUE(first && second && again);
    EXPECT_FALSE(second->duplicate) << "a different payload is a different delivery";
    EXPECT_NE(first->id, second->id);
    EXPECT_TRUE(again->duplicate) << "the same payload again is a redelivery";
    EXPECT_EQ(again->id, first->id);
    EXPECT_EQ(store->count_blocking().value(), 2u);
}

// The schema of the first release, as databases in the field have it.
void write_version_1_database(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    const char* sql = R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (1);
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY, event TEXT NOT NULL, payload_uri TEXT NOT NULL,
    envelope_created_at TEXT NOT NULL, received_at_ms INTEGER NOT NULL, raw_body TEXT NOT NULL,
    UNIQUE (event, payload_uri, envelope_created_at));
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event, id);
INSERT INTO webhook_deliveries VALUES (41, 'invitee.created', 'https://api.calendly.com/x', '2026-01-01T00:00:00Z',
    1767225600000, '{"event":"invitee.created","created_at":"2026-01-01T00:00:00Z","payload":{"uri":"https://api.calendly.com/x"}}');
)sql";
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
}

TEST(WebhookStoreSqliteSchema, RowsOfTheFirstSchemaSurviveTheMigration) {
    test::TempDir dir;
    MetricsRegistry metrics;
    auto options = test::store_options(dir, metrics);
    std::filesystem::create_directories(options.data_dir);
    write_version_1_database(options.data_dir / options.file_name);

    auto store = WebhookStore::open(options);
    ASSERT_TRUE(store) << store.error().message;
    const auto page = (*store)->list_blocking(ListQuery{});
    ASSERT_TRUE(page);
    ASSERT_EQ(page->items.size(), 1u);
    EXPECT_EQ(page->items[0].id, 41);

    auto redelivery = parse_webhook_envelope(page->items[0].delivery.raw_body).value();
    const auto outcome = (*store)->store_blocking(redelivery);
    ASSERT_TRUE(outcome);
    EXPECT_TRUE(outcome->duplicate) << "the migrated row still identifies its redelivery";
    EXPECT_EQ(outcome->id, 41);
}

}  // namespace
}  // namespace calrt::store
