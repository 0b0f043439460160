#pragma once
// The self-service audit log on SQLite. Changes are rare (a person cancelling or moving a meeting),
// so they do not go through the deliveries' group-commit writer: each is one INSERT on a
// read-write connection of its own, run on the store's read pool and committed before it returns.
// WAL allows one writer at a time; busy_timeout makes it wait for the group commit's short
// transactions rather than fail.

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>

#include "calrt/store/self_service_change.hpp"
#include "sqlite_connection.hpp"

namespace calrt::store {

class SqliteChangeLog {
  public:
    SqliteChangeLog(std::filesystem::path file, std::chrono::milliseconds busy_timeout);

    Result<std::int64_t> record(const SelfServiceChangeRecord& change);
    Result<ChangePage> list(const ChangeQuery& query);
    // Deletes the changes recorded before `cutoff`; how many.
    Result<std::uint64_t> prune(Timestamp cutoff);

  private:
    // The connection, opened on first use; called with mutex_ held.
    Result<SqliteConnection*> connection();

    const std::filesystem::path file_;
    const std::chrono::milliseconds busy_timeout_;
    std::mutex mutex_;  // one statement at a time on connection_
    std::optional<SqliteConnection> connection_;
};

}  // namespace calrt::store
