#include "support/store_backend_fixture.hpp"

#include <sqlite3.h>

#include "store/postgres_connection.hpp"
#include "store/sqlite_connection.hpp"
#include "support/postgres_cluster.hpp"
#include "support/webhook_store_support.hpp"

namespace calrt::test {
namespace {

class SqliteWriteBlocker final : public WriteBlocker {
  public:
    explicit SqliteWriteBlocker(const std::filesystem::path& file) {
        if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK ||
            sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << "could not take the write lock: " << sqlite3_errmsg(db_);
        }
    }
    ~SqliteWriteBlocker() override { release(); }
    void release() override {
        if (!db_) return;
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(db_);
        db_ = nullptr;
    }

  private:
    sqlite3* db_ = nullptr;
};

// SHARE ROW EXCLUSIVE conflicts with the ROW EXCLUSIVE lock an INSERT or UPDATE takes, not with
// reads: deliveries and the shared state (claims, budgets) cannot be written.
class PostgresWriteBlocker final : public WriteBlocker {
  public:
    explicit PostgresWriteBlocker(const std::string& url) {
        store::PostgresSettings settings;
        settings.url = Secret(url);
        auto connected = store::PostgresConnection::connect(settings);
        if (!connected) {
            ADD_FAILURE() << connected.error().message;
            return;
        }
        connection_.emplace(std::move(*connected));
        auto locked = connection_->execute(
            "BEGIN; LOCK TABLE webhook_deliveries, once_claims, shared_budgets IN SHARE ROW EXCLUSIVE MODE", "locking");
        if (!locked) ADD_FAILURE() << locked.error().message;
    }
    ~PostgresWriteBlocker() override { release(); }
    void release() override {
        if (!connection_) return;
        (void)connection_->execute("ROLLBACK", "unlocking");
        connection_.reset();
    }

  private:
    std::optional<store::PostgresConnection> connection_;
};

}  // namespace

std::string store_backend_name(const ::testing::TestParamInfo<StoreBackendKind>& info) {
    return info.param == StoreBackendKind::sqlite ? "Sqlite" : "Postgres";
}

store::StoreOptions StoreBackendTest::store_options(MetricsRegistry& metrics) {
    auto options = test::store_options(dir_, metrics);
    if (GetParam() == StoreBackendKind::postgres) {
        if (database_url_.empty()) database_url_ = fresh_database_url();
        options.database_url = Secret(database_url_);
    }
    return options;
}

std::unique_ptr<WriteBlocker> StoreBackendTest::block_writes(const store::WebhookStore& store) {
    if (GetParam() == StoreBackendKind::sqlite) {
        return std::make_unique<SqliteWriteBlocker>(store.database_file());
    }
    return std::make_unique<PostgresWriteBlocker>(database_url_);
}

void StoreBackendTest::execute_sql(const store::WebhookStore& store, const std::string& sql) {
    if (GetParam() == StoreBackendKind::sqlite) {
        sqlite3* db = nullptr;
        if (sqlite3_open(store.database_file().c_str(), &db) != SQLITE_OK ||
            sqlite3_busy_timeout(db, 5'000) != SQLITE_OK ||
            sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
        }
        sqlite3_close(db);
        return;
    }
    store::PostgresSettings settings;
    settings.url = Secret(database_url_);
    auto connected = store::PostgresConnection::connect(settings);
    if (!connected) {
        ADD_FAILURE() << connected.error().message;
        return;
    }
    auto done = connected->execute(sql, "test sql");
    if (!done) ADD_FAILURE() << sql << ": " << done.error().message;
}

std::string StoreBackendTest::query_text(const store::WebhookStore& store, const std::string& sql) {
    if (GetParam() == StoreBackendKind::sqlite) {
        auto connection = store::SqliteConnection::open(
            store.database_file(), store::SqliteConnection::Mode::read_only, std::chrono::seconds(5));
        if (!connection) {
            ADD_FAILURE() << connection.error().message;
            return {};
        }
        auto text = connection->query_text(sql, "test query");
        if (!text) ADD_FAILURE() << sql << ": " << text.error().message;
        return text ? *text : std::string();
    }
    store::PostgresSettings settings;
    settings.url = Secret(database_url_);
    auto connected = store::PostgresConnection::connect(settings);
    if (!connected) {
        ADD_FAILURE() << connected.error().message;
        return {};
    }
    auto result = connected->execute(sql, "test query");
    if (!result) {
        ADD_FAILURE() << sql << ": " << result.error().message;
        return {};
    }
    return result->rows() > 0 ? std::string(result->text(0, 0)) : std::string();
}

void StoreBackendTest::fail_blocked_writes_fast(store::StoreOptions& options) {
    options.busy_timeout = std::chrono::milliseconds(100);
    options.database_statement_timeout = std::chrono::milliseconds(100);
}

}  // namespace calrt::test
