#include "sqlite_schema.hpp"

#include "store_backend.hpp"

#include <sqlite3.h>

#include <array>
#include <string>

namespace calrt::store {
namespace {

// Migration N (1-based) takes the schema from version N-1 to N. Append only: a shipped migration
// never changes, because databases in the field have already run it.
constexpr std::array<std::string_view, 5> kMigrations = {
    // 1: deliveries, identified as issue 4 says by (event, payload.uri, envelope created_at).
    R"sql(
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    event TEXT NOT NULL,
    payload_uri TEXT NOT NULL,
    envelope_created_at TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL,
    raw_body TEXT NOT NULL,
    UNIQUE (event, payload_uri, envelope_created_at)
);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event, id);
)sql",
    // 2: a payload without a uri is told apart by its digest (review item L10). SQLite cannot
    // change a table's UNIQUE constraint in place, so the table is rebuilt; rows already stored
    // keep an empty digest.
    R"sql(
ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_v1;
DROP INDEX webhook_deliveries_by_event;
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    event TEXT NOT NULL,
    payload_uri TEXT NOT NULL,
    envelope_created_at TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL,
    raw_body TEXT NOT NULL,
    payload_digest TEXT NOT NULL DEFAULT '',
    UNIQUE (event, payload_uri, envelope_created_at, payload_digest)
);
INSERT INTO webhook_deliveries (id, event, payload_uri, envelope_created_at, received_at_ms, raw_body)
    SELECT id, event, payload_uri, envelope_created_at, received_at_ms, raw_body FROM webhook_deliveries_v1;
DROP TABLE webhook_deliveries_v1;
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event, id);
)sql",
    // 3: the self-service audit log (issue 23). AUTOINCREMENT: ids are never reused once the
    // retention prune has deleted the newest rows, so a cursor never skips a later change.
    R"sql(
CREATE TABLE self_service_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at_ms INTEGER NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    event_uri TEXT NOT NULL,
    old_start_ms INTEGER NOT NULL,
    new_event_uri TEXT,
    new_start_ms INTEGER
);
CREATE INDEX self_service_changes_by_email ON self_service_changes (email_key, id);
CREATE INDEX self_service_changes_by_time ON self_service_changes (recorded_at_ms);
)sql",
    // 4: keys claimed once and budgets per time window, shared by every process on the file
    // (issue 24: an OpenAI webhook handled once, callers' limits; issue 22: daily booking caps).
    // The time indexes serve the prune after kSharedStateRetention.
    R"sql(
CREATE TABLE once_claims (
    claim_key TEXT PRIMARY KEY,
    claimed_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX once_claims_by_time ON once_claims (claimed_at_ms);
CREATE TABLE shared_budgets (
    budget_key TEXT NOT NULL,
    window_index INTEGER NOT NULL,
    used INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (budget_key, window_index)
) WITHOUT ROWID;
CREATE INDEX shared_budgets_by_time ON shared_budgets (updated_at_ms);
)sql",
    // 5: places held for as long as their process renews them (issue 22: a client address's open
    // relay sessions, counted across replicas). The replica index serves the renewal.
    R"sql(
CREATE TABLE session_leases (
    lease_key TEXT NOT NULL,
    slot INTEGER NOT NULL,
    holder TEXT NOT NULL,
    replica TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    PRIMARY KEY (lease_key, slot)
) WITHOUT ROWID;
CREATE INDEX session_leases_by_replica ON session_leases (replica);
CREATE INDEX session_leases_by_expiry ON session_leases (expires_at_ms);
)sql",
};

Result<int> current_version(SqliteConnection& connection) {
    auto created =
        connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
                           "creating schema_version");
    if (!created) return created.error();
    auto version =
        connection.query_text("SELECT max(version) FROM schema_version", "reading schema_version");
    if (!version) return version.error();
    return version->empty() ? 0 : std::stoi(*version);
}

}  // namespace

int latest_sqlite_schema_version() noexcept { return static_cast<int>(kMigrations.size()); }

Result<void> prepare_writer_database(SqliteConnection& connection) {
    auto mode = connection.query_text("PRAGMA journal_mode = WAL", "enabling WAL");
    if (!mode) return mode.error();
    if (*mode != "wal") {
        return sqlite_error(SQLITE_ERROR, "enabling WAL",
                            "the file system kept journal_mode=" + *mode);
    }
    if (auto ok = connection.execute("PRAGMA synchronous = FULL", "setting synchronous=FULL"); !ok)
        return ok;

    auto begun = connection.execute("BEGIN IMMEDIATE", "starting the schema migration");
    if (!begun) return begun;
    auto version = current_version(connection);
    if (!version) {
        (void)connection.execute("ROLLBACK", "rolling back");
        return version.error();
    }
    if (*version > latest_sqlite_schema_version()) {
        (void)connection.execute("ROLLBACK", "rolling back");
        return schema_too_new(*version, latest_sqlite_schema_version(),
                              "run a newer build or point DATA_DIR elsewhere");
    }
    for (int next = *version + 1; next <= latest_sqlite_schema_version(); ++next) {
        auto migrated = connection.execute(kMigrations[static_cast<std::size_t>(next - 1)],
                                           "schema migration " + std::to_string(next));
        if (migrated) {
            migrated = connection.execute(
                "DELETE FROM schema_version; INSERT INTO schema_version VALUES (" +
                    std::to_string(next) + ")",
                "recording schema version");
        }
        if (!migrated) {
            (void)connection.execute("ROLLBACK", "rolling back");
            return migrated;
        }
    }
    return connection.execute("COMMIT", "committing the schema migration");
}

}  // namespace calrt::store
