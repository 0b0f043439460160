#include "sqlite_change_log.hpp"

#include <sqlite3.h>

#include "delivery_cursor.hpp"

namespace calrt::store {
namespace {

std::int64_t millis(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp timestamp(std::int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

constexpr std::string_view kColumns =
    "SELECT id, recorded_at_ms, action, outcome, email, conversation_id, event_uri, old_start_ms, "
    "new_event_uri, new_start_ms FROM self_service_changes WHERE 1";

StoredSelfServiceChange read_row(const SqliteStatement& row) {
    StoredSelfServiceChange stored;
    stored.id = row.column_int64(0);
    auto& change = stored.change;
    change.recorded_at = timestamp(row.column_int64(1));
    change.action = row.column_text(2);
    change.outcome = row.column_text(3);
    change.email = row.column_text(4);
    change.conversation_id = row.column_text(5);
    change.event_uri = row.column_text(6);
    change.old_start = timestamp(row.column_int64(7));
    // NULL reads as "": a new booking always has a URI, so empty means none.
    if (auto uri = row.column_text(8); !uri.empty()) change.new_event_uri = std::move(uri);
    if (!row.column_text(9).empty()) change.new_start = timestamp(row.column_int64(9));
    return stored;
}

}  // namespace

SqliteChangeLog::SqliteChangeLog(std::filesystem::path file, std::chrono::milliseconds busy_timeout)
    : file_(std::move(file)), busy_timeout_(busy_timeout) {}

Result<SqliteConnection*> SqliteChangeLog::connection() {
    if (connection_) return &*connection_;
    auto opened = SqliteConnection::open(file_, SqliteConnection::Mode::read_write, busy_timeout_);
    if (!opened) return opened.error();
    // Per connection: a committed change survives a power cut, like a committed delivery.
    if (auto durable = opened->execute("PRAGMA synchronous = FULL", "setting synchronous=FULL");
        !durable) {
        return durable.error();
    }
    connection_.emplace(std::move(*opened));
    return &*connection_;
}

Result<std::int64_t> SqliteChangeLog::record(const SelfServiceChangeRecord& change) {
    std::lock_guard lock(mutex_);
    auto db = connection();
    if (!db) return db.error();
    auto insert = (*db)->prepare(
        "INSERT INTO self_service_changes (recorded_at_ms, action, outcome, email, email_key, "
        "conversation_id, event_uri, old_start_ms, new_event_uri, new_start_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!insert) return insert.error();
    insert->bind(1, millis(change.recorded_at));
    insert->bind(2, change.action);
    insert->bind(3, change.outcome);
    insert->bind(4, change.email);
    insert->bind(5, change_email_key(change.email));
    insert->bind(6, change.conversation_id);
    insert->bind(7, change.event_uri);
    insert->bind(8, millis(change.old_start));
    if (change.new_event_uri)
        insert->bind(9, *change.new_event_uri);
    else
        insert->bind_null(9);
    if (change.new_start)
        insert->bind(10, millis(*change.new_start));
    else
        insert->bind_null(10);
    // Outside a transaction the INSERT commits on its own before step() returns.
    if (const int rc = insert->step(); rc != SQLITE_DONE)
        return (*db)->error(rc, "recording a self-service change");
    return (*db)->last_insert_rowid();
}

Result<ChangePage> SqliteChangeLog::list(const ChangeQuery& query) {
    auto before_id = list_page_start(query.limit, query.cursor);
    if (!before_id) return before_id.error();
    std::string sql(kColumns);
    if (query.email) sql += " AND email_key = :email";
    if (query.since) sql += " AND recorded_at_ms >= :since";
    if (*before_id) sql += " AND id < :before";
    // Newest first is descending id, as for deliveries; one row more says whether a page follows.
    sql += " ORDER BY id DESC LIMIT :limit";

    std::lock_guard lock(mutex_);
    auto db = connection();
    if (!db) return db.error();
    auto statement = (*db)->prepare(sql);
    if (!statement) return statement.error();
    int index = 1;
    if (query.email) statement->bind(index++, change_email_key(*query.email));
    if (query.since) {
        statement->bind(index++, std::chrono::duration_cast<std::chrono::milliseconds>(
                                     query.since->time_since_epoch())
                                     .count());
    }
    if (*before_id) statement->bind(index++, **before_id);
    statement->bind(index, static_cast<std::int64_t>(query.limit + 1));

    ChangePage page;
    for (;;) {
        const int rc = statement->step();
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) return (*db)->error(rc, "listing self-service changes");
        if (!add_row_to_page(page, query.limit, [&] { return read_row(*statement); })) break;
    }
    return page;
}

Result<std::uint64_t> SqliteChangeLog::prune(Timestamp cutoff) {
    std::lock_guard lock(mutex_);
    auto db = connection();
    if (!db) return db.error();
    auto remove = (*db)->prepare("DELETE FROM self_service_changes WHERE recorded_at_ms < ?1");
    if (!remove) return remove.error();
    remove->bind(1, millis(cutoff));
    if (const int rc = remove->step(); rc != SQLITE_DONE)
        return (*db)->error(rc, "pruning self-service changes");
    return static_cast<std::uint64_t>((*db)->changes());
}

}  // namespace calrt::store
