#include "postgres_change_log.hpp"

#include <vector>

#include "delivery_cursor.hpp"

namespace calrt::store {
namespace {

std::string millis(Timestamp t) { return std::to_string(t.time_since_epoch().count()); }
Timestamp timestamp(std::int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

StoredSelfServiceChange read_row(const PostgresResult& result, int row) {
    StoredSelfServiceChange stored;
    stored.id = result.int64(row, 0);
    auto& change = stored.change;
    change.recorded_at = timestamp(result.int64(row, 1));
    change.action = result.text(row, 2);
    change.outcome = result.text(row, 3);
    change.email = result.text(row, 4);
    change.conversation_id = result.text(row, 5);
    change.event_uri = result.text(row, 6);
    change.old_start = timestamp(result.int64(row, 7));
    if (!result.is_null(row, 8)) change.new_event_uri = std::string(result.text(row, 8));
    if (!result.is_null(row, 9)) change.new_start = timestamp(result.int64(row, 9));
    return stored;
}

}  // namespace

PostgresChangeLog::PostgresChangeLog(PostgresSettings settings) : settings_(std::move(settings)) {}

Result<PostgresResult> PostgresChangeLog::run(std::string_view sql,
                                              std::span<const std::string> params,
                                              std::string_view what) {
    const bool had_connection = connection_.has_value();
    if (had_connection) {
        auto result = connection_->execute(sql, params, what);
        if (result || connection_->usable()) return result;
        connection_.reset();
    }
    auto fresh = PostgresConnection::connect(settings_);
    if (!fresh) return fresh.error();
    connection_.emplace(std::move(*fresh));
    auto result = connection_->execute(sql, params, what);
    if (!result && !connection_->usable()) connection_.reset();
    return result;
}

Result<std::int64_t> PostgresChangeLog::record(const SelfServiceChangeRecord& change) {
    // Parameters travel as text, which cannot say NULL: an empty one stands for none.
    const std::string params[] = {millis(change.recorded_at),
                                  change.action,
                                  change.outcome,
                                  change.email,
                                  change_email_key(change.email),
                                  change.conversation_id,
                                  change.event_uri,
                                  millis(change.old_start),
                                  change.new_event_uri.value_or(""),
                                  change.new_start ? millis(*change.new_start) : std::string()};
    std::lock_guard lock(mutex_);
    auto inserted =
        run("INSERT INTO public.self_service_changes (recorded_at_ms, action, outcome, email, "
            "email_key, "
            "conversation_id, event_uri, old_start_ms, new_event_uri, new_start_ms) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULLIF($9, ''), NULLIF($10, '')::bigint) "
            "RETURNING id",
            params, "recording a self-service change");
    if (!inserted) return inserted.error();
    return inserted->int64(0, 0);
}

Result<ChangePage> PostgresChangeLog::list(const ChangeQuery& query) {
    auto before_id = list_page_start(query.limit, query.cursor);
    if (!before_id) return before_id.error();
    std::string sql =
        "SELECT id, recorded_at_ms, action, outcome, email, conversation_id, event_uri, "
        "old_start_ms, "
        "new_event_uri, new_start_ms FROM public.self_service_changes WHERE true";
    std::vector<std::string> params;
    const auto parameter = [&params](std::string value) {
        params.push_back(std::move(value));
        return "$" + std::to_string(params.size());
    };
    if (query.email) sql += " AND email_key = " + parameter(change_email_key(*query.email));
    if (query.since) {
        sql += " AND recorded_at_ms >= " +
               parameter(std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            query.since->time_since_epoch())
                                            .count()));
    }
    if (*before_id) sql += " AND id < " + parameter(std::to_string(**before_id));
    sql += " ORDER BY id DESC LIMIT " + parameter(std::to_string(query.limit + 1));

    std::lock_guard lock(mutex_);
    auto result = run(sql, params, "listing self-service changes");
    if (!result) return result.error();
    ChangePage page;
    for (int row = 0; row < result->rows(); ++row) {
        if (!add_row_to_page(page, query.limit, [&] { return read_row(*result, row); })) break;
    }
    return page;
}

Result<std::uint64_t> PostgresChangeLog::prune(Timestamp cutoff) {
    const std::string params[] = {millis(cutoff)};
    std::lock_guard lock(mutex_);
    auto removed =
        run("WITH removed AS (DELETE FROM public.self_service_changes WHERE recorded_at_ms < $1 "
            "RETURNING 1) SELECT count(*) FROM removed",
            params, "pruning self-service changes");
    if (!removed) return removed.error();
    return static_cast<std::uint64_t>(removed->int64(0, 0));
}

}  // namespace calrt::store
