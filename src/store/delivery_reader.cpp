#include "delivery_reader.hpp"

#include <sqlite3.h>

#include "delivery_cursor.hpp"
#include "unix_millis.hpp"

namespace calrt::store {
namespace {

StoredDelivery read_row(const SqliteStatement& row) {
    StoredDelivery stored;
    stored.id = row.column_int64(0);
    stored.delivery.event = row.column_text(1);
    stored.delivery.payload_uri = row.column_text(2);
    stored.delivery.envelope_created_at = row.column_text(3);
    stored.delivery.received_at = from_unix_millis(row.column_int64(4));
    stored.delivery.raw_body = row.column_text(5);
    stored.delivery.known_event = is_known_webhook_event(stored.delivery.event);
    return stored;
}

Result<ListPage> query_page(SqliteConnection& connection, const ListQuery& query,
                            std::optional<std::int64_t> before_id) {
    // Newest first is descending id: ids grow in commit order, unlike received_at across threads.
    std::string sql =
        "SELECT id, event, payload_uri, envelope_created_at, received_at_ms, raw_body "
        "FROM webhook_deliveries WHERE 1";
    if (query.event) sql += " AND event = :event";
    if (query.since) sql += " AND received_at_ms >= :since";
    if (before_id) sql += " AND id < :before";
    sql += " ORDER BY id DESC LIMIT :limit";

    auto statement = connection.prepare(sql);
    if (!statement) return statement.error();
    int index = 1;
    if (query.event) statement->bind(index++, *query.event);
    if (query.since) statement->bind(index++, to_unix_millis(*query.since));
    if (before_id) statement->bind(index++, *before_id);
    // One row more than asked says whether another page exists.
    statement->bind(index, static_cast<std::int64_t>(query.limit + 1));

    ListPage page;
    for (;;) {
        const int rc = statement->step();
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) return connection.error(rc, "listing deliveries");
        if (!add_row_to_page(page, query.limit, [&] { return read_row(*statement); })) break;
    }
    return page;
}

}  // namespace

DeliveryReader::DeliveryReader(std::filesystem::path file, std::chrono::milliseconds busy_timeout)
    : file_(std::move(file)), busy_timeout_(busy_timeout) {}

Result<void> DeliveryReader::check() {
    auto connection = take_connection();
    if (!connection) return connection.error();
    give_back(std::move(*connection));
    return {};
}

Result<ListPage> DeliveryReader::list(const ListQuery& query) {
    auto before_id = list_page_start(query);
    if (!before_id) return before_id.error();
    auto connection = take_connection();
    if (!connection) return connection.error();
    auto page = query_page(*connection, query, *before_id);
    give_back(std::move(*connection));
    return page;
}

Result<std::uint64_t> DeliveryReader::count() {
    auto connection = take_connection();
    if (!connection) return connection.error();
    auto text =
        connection->query_text("SELECT count(*) FROM webhook_deliveries", "counting deliveries");
    give_back(std::move(*connection));
    if (!text) return text.error();
    return static_cast<std::uint64_t>(std::stoull(*text));
}

Result<SqliteConnection> DeliveryReader::take_connection() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return connection;
        }
    }
    return SqliteConnection::open(file_, SqliteConnection::Mode::read_only, busy_timeout_);
}

void DeliveryReader::give_back(SqliteConnection connection) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
}

}  // namespace calrt::store
