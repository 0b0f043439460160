#pragma once
// The self-service audit log on PostgreSQL: one INSERT per change (each commits on its own before
// it returns; changes are too rare for the deliveries' group commit), lists and the retention
// prune, on one connection of its own used by the store's read pool, re-opened once the server
// dropped it.

#include <mutex>
#include <optional>

#include "calrt/store/self_service_change.hpp"
#include "postgres_connection.hpp"

namespace calrt::store {

class PostgresChangeLog {
  public:
    explicit PostgresChangeLog(PostgresSettings settings);

    Result<std::int64_t> record(const SelfServiceChangeRecord& change);
    Result<ChangePage> list(const ChangeQuery& query);
    Result<std::uint64_t> prune(Timestamp cutoff);

  private:
    // Runs `sql` on the connection (mutex_ held); when the connection turns out to be dead (a
    // database restart), once more on a new one. For a change that may record it twice (when the
    // first INSERT committed just before the connection dropped): a duplicate line in an audit log
    // is better than a missing one.
    Result<PostgresResult> run(std::string_view sql, std::span<const std::string> params,
                               std::string_view what);

    const PostgresSettings settings_;
    std::mutex mutex_;
    std::optional<PostgresConnection> connection_;  // guarded by mutex_
};

}  // namespace calrt::store
