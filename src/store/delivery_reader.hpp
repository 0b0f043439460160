#pragma once
// Queries over stored deliveries on read connections of their own: in WAL mode readers see the last
// committed state and never wait for the writer. Connections are opened on demand, one per
// concurrent reader, and kept for reuse.

#include <filesystem>
#include <mutex>
#include <vector>

#include "calrt/store/webhook_store.hpp"
#include "sqlite_connection.hpp"

namespace calrt::store {

class DeliveryReader {
  public:
    DeliveryReader(std::filesystem::path file, std::chrono::milliseconds busy_timeout);

    // Opens a first connection now, so that a store that cannot be read fails at start-up.
    Result<void> check();
    Result<ListPage> list(const ListQuery& query);
    Result<std::uint64_t> count();

  private:
    Result<SqliteConnection> take_connection();
    void give_back(SqliteConnection connection);

    const std::filesystem::path file_;
    const std::chrono::milliseconds busy_timeout_;
    std::mutex mutex_;
    std::vector<SqliteConnection> idle_;  // guarded by mutex_
};

}  // namespace calrt::store
