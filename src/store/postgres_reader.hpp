#pragma once
// Queries over stored deliveries on PostgreSQL: connections opened on demand, one per concurrent
// reader (the store's read pool threads), kept for reuse and dropped once the server closes them.

#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

#include "calrt/store/webhook_store.hpp"
#include "postgres_connection.hpp"

namespace calrt::store {

class PostgresReader {
  public:
    explicit PostgresReader(PostgresSettings settings);

    Result<ListPage> list(const ListQuery& query);
    Result<std::uint64_t> count();

  private:
    // Runs `query` on a pooled connection; when that connection turns out to have been closed
    // while idle (a database restart), once more on a new one.
    template <class Query>
    auto with_connection(Query query) -> decltype(query(std::declval<PostgresConnection&>()));
    void give_back(PostgresConnection connection);

    const PostgresSettings settings_;
    std::mutex mutex_;
    std::vector<PostgresConnection> idle_;  // guarded by mutex_
};

// The rows with these ids, oldest first (the listener reads what a NOTIFY announced).
Result<std::vector<StoredDelivery>> read_deliveries(PostgresConnection& connection,
                                                    std::span<const std::int64_t> ids);

}  // namespace calrt::store
