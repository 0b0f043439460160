#include "postgres_reader.hpp"

#include "delivery_cursor.hpp"
#include "unix_millis.hpp"

namespace calrt::store {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, event, payload_uri, envelope_created_at, received_at_ms, raw_body "
    "FROM public.webhook_deliveries ";

StoredDelivery read_row(const PostgresResult& result, int row) {
    StoredDelivery stored;
    stored.id = result.int64(row, 0);
    stored.delivery.event = result.text(row, 1);
    stored.delivery.payload_uri = result.text(row, 2);
    stored.delivery.envelope_created_at = result.text(row, 3);
    stored.delivery.received_at = from_unix_millis(result.int64(row, 4));
    stored.delivery.raw_body = result.text(row, 5);
    stored.delivery.known_event = is_known_webhook_event(stored.delivery.event);
    return stored;
}

Result<ListPage> query_page(PostgresConnection& connection, const ListQuery& query,
                            std::optional<std::int64_t> before_id) {
    // Newest first is descending id, as on SQLite. Ids come from one sequence shared by every
    // replica, so a page walk sees each row once even while other replicas insert.
    std::string sql(kColumns);
    sql += "WHERE true";
    std::vector<std::string> params;
    const auto parameter = [&params](std::string value) {
        params.push_back(std::move(value));
        return "$" + std::to_string(params.size());
    };
    if (query.event) sql += " AND event = " + parameter(*query.event);
    if (query.since) {
        sql += " AND received_at_ms >= " + parameter(std::to_string(to_unix_millis(*query.since)));
    }
    if (before_id) sql += " AND id < " + parameter(std::to_string(*before_id));
    // One row more than asked says whether another page exists.
    sql += " ORDER BY id DESC LIMIT " + parameter(std::to_string(query.limit + 1));

    auto result = connection.execute(sql, params, "listing deliveries");
    if (!result) return result.error();
    ListPage page;
    for (int row = 0; row < result->rows(); ++row) {
        if (!add_row_to_page(page, query.limit, [&] { return read_row(*result, row); })) break;
    }
    return page;
}

}  // namespace

PostgresReader::PostgresReader(PostgresSettings settings) : settings_(std::move(settings)) {}

template <class Query>
auto PostgresReader::with_connection(Query query)
    -> decltype(query(std::declval<PostgresConnection&>())) {
    std::optional<PostgresConnection> pooled;
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            pooled.emplace(std::move(idle_.back()));
            idle_.pop_back();
        }
    }
    if (pooled) {
        auto result = query(*pooled);
        if (result || pooled->usable()) {
            give_back(std::move(*pooled));
            return result;
        }
    }
    auto fresh = PostgresConnection::connect(settings_);
    if (!fresh) return fresh.error();
    auto result = query(*fresh);
    give_back(std::move(*fresh));
    return result;
}

Result<ListPage> PostgresReader::list(const ListQuery& query) {
    auto before_id = list_page_start(query);
    if (!before_id) return before_id.error();
    return with_connection([&](PostgresConnection& connection) {
        return query_page(connection, query, *before_id);
    });
}

Result<std::uint64_t> PostgresReader::count() {
    return with_connection([](PostgresConnection& connection) -> Result<std::uint64_t> {
        auto result = connection.execute("SELECT count(*) FROM public.webhook_deliveries",
                                         "counting deliveries");
        if (!result) return result.error();
        return static_cast<std::uint64_t>(result->int64(0, 0));
    });
}

void PostgresReader::give_back(PostgresConnection connection) {
    if (!connection.usable()) return;  // the next reader connects afresh
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
}

Result<std::vector<StoredDelivery>> read_deliveries(PostgresConnection& connection,
                                                    std::span<const std::int64_t> ids) {
    const std::string sql = std::string(kColumns) + "WHERE id = ANY($1::bigint[]) ORDER BY id";
    const std::string params[] = {postgres_int64_array(ids)};
    auto result = connection.execute(sql, params, "reading announced deliveries");
    if (!result) return result.error();
    std::vector<StoredDelivery> rows;
    rows.reserve(static_cast<std::size_t>(result->rows()));
    for (int row = 0; row < result->rows(); ++row) rows.push_back(read_row(*result, row));
    return rows;
}

}  // namespace calrt::store
