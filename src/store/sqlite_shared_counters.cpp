#include "sqlite_shared_counters.hpp"

#include <sqlite3.h>

#include <utility>

#include "unix_millis.hpp"

namespace calrt::store {
namespace {

std::int64_t now_millis() { return to_unix_millis(std::chrono::system_clock::now()); }

}  // namespace

SqliteSharedCounters::SqliteSharedCounters(std::filesystem::path file,
                                           std::chrono::milliseconds busy_timeout)
    : file_(std::move(file)), busy_timeout_(busy_timeout) {}

Result<SqliteConnection*> SqliteSharedCounters::connection() {
    if (connection_) return &*connection_;
    auto opened = SqliteConnection::open(file_, SqliteConnection::Mode::read_write, busy_timeout_);
    if (!opened) return opened.error();
    // Per connection: a claim that answered "first" must still be there after a power cut, or a
    // retried webhook would be handled twice.
    if (auto durable = opened->execute("PRAGMA synchronous = FULL", "setting synchronous=FULL");
        !durable) {
        return durable.error();
    }
    connection_.emplace(std::move(*opened));
    return &*connection_;
}

template <class T, class Work>
Result<T> SqliteSharedCounters::in_transaction(std::string_view what, Work&& work) {
    auto db = connection();
    if (!db) return db.error();
    SqliteConnection& connection = **db;
    const auto roll_back = [&connection] {
        if (connection.in_transaction()) (void)connection.execute("ROLLBACK", "rolling back");
    };
    roll_back();  // a transaction left open by a failed COMMIT would swallow this one
    // IMMEDIATE takes the write lock before the first read, so what the work reads cannot change
    // before it writes (a DEFERRED transaction could read, then fail to upgrade with SQLITE_BUSY).
    if (auto begun = connection.execute("BEGIN IMMEDIATE", what); !begun) return begun.error();
    Result<T> outcome = work(connection);
    if (!outcome) {
        roll_back();
        return outcome;
    }
    if (auto committed = connection.execute("COMMIT", what); !committed) {
        roll_back();
        return committed.error();
    }
    return outcome;
}

Result<bool> SqliteSharedCounters::claim_once(std::string_view key) {
    std::lock_guard lock(mutex_);
    return in_transaction<bool>("claiming a key", [key](SqliteConnection& db) -> Result<bool> {
        auto insert = db.prepare(
            "INSERT OR IGNORE INTO once_claims (claim_key, claimed_at_ms) VALUES (?1, ?2)");
        if (!insert) return insert.error();
        insert->bind(1, key);
        insert->bind(2, now_millis());
        if (const int rc = insert->step(); rc != SQLITE_DONE) return db.error(rc, "claiming a key");
        return db.changes() == 1;  // 0: the key was there already
    });
}

namespace {

// The window's use, 0 when it has no row yet.
Result<std::int64_t> budget_used(SqliteConnection& db, std::string_view key, std::int64_t window) {
    auto select =
        db.prepare("SELECT used FROM shared_budgets WHERE budget_key = ?1 AND window_index = ?2");
    if (!select) return select.error();
    select->bind(1, key);
    select->bind(2, window);
    const int rc = select->step();
    if (rc == SQLITE_DONE) return std::int64_t{0};
    if (rc != SQLITE_ROW) return db.error(rc, "reading a budget");
    return select->column_int64(0);
}

}  // namespace

Result<BudgetTaken> SqliteSharedCounters::take_budget(const BudgetTake& take) {
    std::lock_guard lock(mutex_);
    return in_transaction<BudgetTaken>(
        "taking from a budget", [&take](SqliteConnection& db) -> Result<BudgetTaken> {
            const bool limited = take.limit > 0;
            if (limited && take.amount > take.limit) {
                // More than the whole budget: refused without a row, which the insert below
                // would otherwise create unchecked.
                auto used = budget_used(db, take.key, take.window);
                if (!used) return used.error();
                return BudgetTaken{false, *used};
            }
            // A new window starts at `amount`; an existing one grows only within the limit, and
            // returns no row when it would not.
            auto upsert = db.prepare(
                "INSERT INTO shared_budgets (budget_key, window_index, used, updated_at_ms) "
                "VALUES (?1, ?2, ?3, ?4) "
                "ON CONFLICT (budget_key, window_index) DO UPDATE SET "
                "used = used + excluded.used, updated_at_ms = excluded.updated_at_ms "
                "WHERE ?5 <= 0 OR used + excluded.used <= ?5 "
                "RETURNING used");
            if (!upsert) return upsert.error();
            upsert->bind(1, take.key);
            upsert->bind(2, take.window);
            upsert->bind(3, take.amount);
            upsert->bind(4, now_millis());
            upsert->bind(5, take.limit);
            int rc = upsert->step();
            if (rc == SQLITE_ROW) {
                const BudgetTaken taken{true, upsert->column_int64(0)};
                rc = upsert->step();  // run the statement to completion before COMMIT
                if (rc != SQLITE_DONE) return db.error(rc, "taking from a budget");
                return taken;
            }
            if (rc != SQLITE_DONE) return db.error(rc, "taking from a budget");
            auto used = budget_used(db, take.key, take.window);
            if (!used) return used.error();
            return BudgetTaken{false, *used};
        });
}

Result<std::int64_t> SqliteSharedCounters::give_back_budget(std::string_view key,
                                                            std::int64_t window,
                                                            std::int64_t amount) {
    std::lock_guard lock(mutex_);
    return in_transaction<std::int64_t>(
        "giving back to a budget",
        [key, window, amount](SqliteConnection& db) -> Result<std::int64_t> {
            auto update = db.prepare(
                "UPDATE shared_budgets SET used = max(used - ?3, 0), updated_at_ms = ?4 "
                "WHERE budget_key = ?1 AND window_index = ?2");
            if (!update) return update.error();
            update->bind(1, key);
            update->bind(2, window);
            update->bind(3, amount);
            update->bind(4, now_millis());
            if (const int rc = update->step(); rc != SQLITE_DONE)
                return db.error(rc, "giving back to a budget");
            return budget_used(db, key, window);
        });
}

Result<std::int64_t> SqliteSharedCounters::raise_shared_value(std::string_view key, std::int64_t value) {
    std::lock_guard lock(mutex_);
    return in_transaction<std::int64_t>(
        "raising a shared value", [key, value](SqliteConnection& db) -> Result<std::int64_t> {
            auto upsert = db.prepare(
                "INSERT INTO shared_budgets (budget_key, window_index, used, updated_at_ms) "
                "VALUES (?1, ?2, ?3, ?4) "
                "ON CONFLICT (budget_key, window_index) DO UPDATE SET "
                "used = max(used, excluded.used), updated_at_ms = excluded.updated_at_ms "
                "RETURNING used");
            if (!upsert) return upsert.error();
            upsert->bind(1, key);
            upsert->bind(2, kSharedValueWindow);
            upsert->bind(3, value);
            upsert->bind(4, now_millis());
            int rc = upsert->step();
            if (rc != SQLITE_ROW) return db.error(rc, "raising a shared value");
            const std::int64_t raised = upsert->column_int64(0);
            rc = upsert->step();  // run the statement to completion before COMMIT
            if (rc != SQLITE_DONE) return db.error(rc, "raising a shared value");
            return raised;
        });
}

Result<std::int64_t> SqliteSharedCounters::shared_value(std::string_view key) {
    std::lock_guard lock(mutex_);
    auto db = connection();
    if (!db) return db.error();
    SqliteConnection& connection = **db;
    // A transaction left open by a failed COMMIT would hold what this reads.
    if (connection.in_transaction()) (void)connection.execute("ROLLBACK", "rolling back");
    // One statement in autocommit: a read, which takes no write lock.
    return budget_used(connection, key, kSharedValueWindow);
}

Result<std::optional<std::int64_t>> SqliteSharedCounters::take_lease(const LeaseTake& take) {
    std::lock_guard lock(mutex_);
    return in_transaction<std::optional<std::int64_t>>(
        "taking a lease", [&take](SqliteConnection& db) -> Result<std::optional<std::int64_t>> {
            // The first place that is free: never taken, or its lease ran out.
            for (std::int64_t slot = 0; slot < take.places; ++slot) {
                auto upsert = db.prepare(
                    "INSERT INTO session_leases (lease_key, slot, holder, replica, expires_at_ms) "
                    "VALUES (?1, ?2, ?3, ?4, ?5) "
                    "ON CONFLICT (lease_key, slot) DO UPDATE SET holder = excluded.holder, "
                    "replica = excluded.replica, expires_at_ms = excluded.expires_at_ms "
                    "WHERE expires_at_ms <= ?6 RETURNING slot");
                if (!upsert) return upsert.error();
                upsert->bind(1, take.key);
                upsert->bind(2, slot);
                upsert->bind(3, take.holder);
                upsert->bind(4, take.replica);
                upsert->bind(5, std::int64_t{take.expires_at.time_since_epoch().count()});
                upsert->bind(6, std::int64_t{take.now.time_since_epoch().count()});
                int rc = upsert->step();
                if (rc == SQLITE_ROW) {
                    rc = upsert->step();  // run the statement to completion before COMMIT
                    if (rc != SQLITE_DONE) return db.error(rc, "taking a lease");
                    return std::optional<std::int64_t>(slot);
                }
                if (rc != SQLITE_DONE) return db.error(rc, "taking a lease");
            }
            return std::optional<std::int64_t>();
        });
}

Result<void> SqliteSharedCounters::release_lease(std::string_view key, std::int64_t slot, std::string_view holder) {
    std::lock_guard lock(mutex_);
    auto released = in_transaction<bool>("releasing a lease", [&](SqliteConnection& db) -> Result<bool> {
        auto remove = db.prepare("DELETE FROM session_leases WHERE lease_key = ?1 AND slot = ?2 AND holder = ?3");
        if (!remove) return remove.error();
        remove->bind(1, key);
        remove->bind(2, slot);
        remove->bind(3, holder);
        if (const int rc = remove->step(); rc != SQLITE_DONE) return db.error(rc, "releasing a lease");
        return true;
    });
    if (!released) return released.error();
    return {};
}

Result<std::uint64_t> SqliteSharedCounters::renew_leases(std::string_view replica, Timestamp expires_at) {
    std::lock_guard lock(mutex_);
    return in_transaction<std::uint64_t>("renewing leases", [&](SqliteConnection& db) -> Result<std::uint64_t> {
        auto update = db.prepare("UPDATE session_leases SET expires_at_ms = ?2 WHERE replica = ?1");
        if (!update) return update.error();
        update->bind(1, replica);
        update->bind(2, std::int64_t{expires_at.time_since_epoch().count()});
        if (const int rc = update->step(); rc != SQLITE_DONE) return db.error(rc, "renewing leases");
        return static_cast<std::uint64_t>(db.changes());
    });
}

Result<std::uint64_t> SqliteSharedCounters::prune(Timestamp cutoff) {
    std::lock_guard lock(mutex_);
    return in_transaction<std::uint64_t>(
        "pruning claims and budgets", [cutoff](SqliteConnection& db) -> Result<std::uint64_t> {
            std::uint64_t removed = 0;
            for (const std::string_view sql :
                 {std::string_view("DELETE FROM once_claims WHERE claimed_at_ms < ?1"),
                  std::string_view("DELETE FROM shared_budgets WHERE updated_at_ms < ?1"),
                  std::string_view("DELETE FROM session_leases WHERE expires_at_ms < ?1")}) {
                auto remove = db.prepare(sql);
                if (!remove) return remove.error();
                remove->bind(1, std::int64_t{cutoff.time_since_epoch().count()});
                if (const int rc = remove->step(); rc != SQLITE_DONE)
                    return db.error(rc, "pruning claims and budgets");
                removed += static_cast<std::uint64_t>(db.changes());
            }
            return removed;
        });
}

}  // namespace calrt::store
