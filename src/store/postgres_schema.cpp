#include "postgres_schema.hpp"

#include "store_backend.hpp"

#include <array>
#include <string>

namespace calrt::store {
namespace {

// Any fixed number: the key of the advisory lock that serializes migrations across replicas.
constexpr std::string_view kMigrationLockKey = "7239011450128355";

// Migration N (1-based) takes the schema from version N-1 to N. Append only, as for SQLite
// (store_schema.cpp): databases in the field have already run a shipped migration. Version 1 is
// SQLite's version 2 (the identity includes the payload digest, review item L10). Its names were
// unqualified when it shipped and so landed in `public` (the first schema of the default
// search_path that exists, unless a schema is named after the role: refused by
// refuse_tables_elsewhere()); qualifying them makes no difference to those databases.
constexpr std::array<std::string_view, 4> kMigrations = {
    R"sql(
CREATE TABLE public.webhook_deliveries (
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
CREATE INDEX webhook_deliveries_by_event ON public.webhook_deliveries (event, id);
CREATE FUNCTION public.calrt_announce_webhook_delivery() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('calrt_webhook_deliveries', NEW.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER webhook_deliveries_announce AFTER INSERT ON public.webhook_deliveries
    FOR EACH ROW EXECUTE FUNCTION public.calrt_announce_webhook_delivery();
)sql",
    // 2: the self-service audit log (issue 23), as SQLite's version 3. No trigger: no replica
    // needs to hear of a change as it happens.
    R"sql(
CREATE TABLE public.self_service_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recorded_at_ms BIGINT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    event_uri TEXT NOT NULL,
    old_start_ms BIGINT NOT NULL,
    new_event_uri TEXT,
    new_start_ms BIGINT
);
CREATE INDEX self_service_changes_by_email ON public.self_service_changes (email_key, id);
CREATE INDEX self_service_changes_by_time ON public.self_service_changes (recorded_at_ms);
)sql",
    // 3: keys claimed once and budgets per time window, shared by every replica (issue 24; issue
    // 22's daily booking caps), as SQLite's version 4. `window` is a reserved word, hence
    // window_index.
    R"sql(
CREATE TABLE public.once_claims (
    claim_key TEXT PRIMARY KEY,
    claimed_at_ms BIGINT NOT NULL
);
CREATE INDEX once_claims_by_time ON public.once_claims (claimed_at_ms);
CREATE TABLE public.shared_budgets (
    budget_key TEXT NOT NULL,
    window_index BIGINT NOT NULL,
    used BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    PRIMARY KEY (budget_key, window_index)
);
CREATE INDEX shared_budgets_by_time ON public.shared_budgets (updated_at_ms);
)sql",
    // 4: places held for as long as their replica renews them (issue 22), as SQLite's version 5.
    R"sql(
CREATE TABLE public.session_leases (
    lease_key TEXT NOT NULL,
    slot BIGINT NOT NULL,
    holder TEXT NOT NULL,
    replica TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    PRIMARY KEY (lease_key, slot)
);
CREATE INDEX session_leases_by_replica ON public.session_leases (replica);
CREATE INDEX session_leases_by_expiry ON public.session_leases (expires_at_ms);
)sql",
};

// A database whose store an older build created, with unqualified names, in a schema named after
// its role ("$user", first on the default search_path): starting afresh in `public` would hide
// every stored delivery, so start-up stops and says how to move them.
Result<void> refuse_tables_elsewhere(PostgresConnection& connection) {
    auto elsewhere = connection.execute(
        "SELECT n.nspname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE pg_catalog.to_regclass('public.calrt_schema_version') IS NULL "
        "AND c.oid = pg_catalog.to_regclass('calrt_schema_version') AND n.nspname <> 'public'",
        "looking for the store's tables");
    if (!elsewhere) return elsewhere.error();
    if (elsewhere->rows() == 0) return {};
    const std::string schema(elsewhere->text(0, 0));
    return Error::make(ErrorKind::internal, "store_schema_elsewhere",
                       "webhook store: its tables are in schema \"" + schema +
                           "\", but this build keeps them in \"public\"; move them with ALTER TABLE " +
                           "webhook_deliveries, calrt_schema_version and ALTER FUNCTION "
                           "calrt_announce_webhook_delivery() ... SET SCHEMA public (docs/operations.md)");
}

Result<int> current_version(PostgresConnection& connection) {
    if (auto refused = refuse_tables_elsewhere(connection); !refused) return refused.error();
    auto created = connection.execute(
        "CREATE TABLE IF NOT EXISTS public.calrt_schema_version (version INTEGER NOT NULL)",
        "creating calrt_schema_version");
    if (!created) return created.error();
    auto version = connection.execute("SELECT coalesce(max(version), 0) FROM public.calrt_schema_version",
                                      "reading calrt_schema_version");
    if (!version) return version.error();
    return static_cast<int>(version->int64(0, 0));
}

Result<void> migrate_locked(PostgresConnection& connection) {
    // Held until COMMIT or ROLLBACK. CREATE TABLE IF NOT EXISTS alone would race: two replicas
    // could both see version 0 and both run migration 1.
    auto locked = connection.execute(
        "SELECT pg_advisory_xact_lock(" + std::string(kMigrationLockKey) + ")",
        "waiting for the schema migration lock");
    if (!locked) return locked.error();
    auto version = current_version(connection);
    if (!version) return version.error();
    if (*version > latest_postgres_schema_version()) {
        return schema_too_new(*version, latest_postgres_schema_version(),
                              "run a newer build or use another database");
    }
    for (int next = *version + 1; next <= latest_postgres_schema_version(); ++next) {
        const std::string step = "schema migration " + std::to_string(next);
        auto migrated = connection.execute(kMigrations[static_cast<std::size_t>(next - 1)], step);
        if (!migrated) return migrated.error();
        auto recorded = connection.execute(
            "DELETE FROM public.calrt_schema_version; INSERT INTO public.calrt_schema_version VALUES (" +
                std::to_string(next) + ")",
            "recording schema version");
        if (!recorded) return recorded.error();
    }
    return {};
}

}  // namespace

int latest_postgres_schema_version() noexcept { return static_cast<int>(kMigrations.size()); }

Result<void> migrate_postgres_schema(PostgresConnection& connection) {
    if (auto begun = connection.execute("BEGIN", "starting the schema migration"); !begun) {
        return begun.error();
    }
    auto migrated = migrate_locked(connection);
    if (!migrated) {
        (void)connection.execute("ROLLBACK", "rolling back the schema migration");
        return migrated;
    }
    auto committed = connection.execute("COMMIT", "committing the schema migration");
    if (!committed) return committed.error();
    return {};
}

}  // namespace calrt::store
