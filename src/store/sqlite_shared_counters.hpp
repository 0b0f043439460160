#pragma once
// Once-claims and budget windows (shared_counters.hpp) on SQLite: like the audit log, on a
// read-write connection of their own used by the store's read pool, not through the deliveries'
// group commit (a claim or a take must answer from the row it finds, which a batch of blind
// inserts cannot). Each operation is one IMMEDIATE transaction, so processes sharing the file see
// them one at a time; busy_timeout makes them wait for each other's short transactions.

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string_view>

#include "calrt/core/time.hpp"
#include "calrt/store/shared_counters.hpp"
#include "store_backend.hpp"
#include "sqlite_connection.hpp"

namespace calrt::store {

class SqliteSharedCounters final : public SharedStateBackend {
  public:
    SqliteSharedCounters(std::filesystem::path file, std::chrono::milliseconds busy_timeout);

    Result<bool> claim_once(std::string_view key) override;
    Result<BudgetTaken> take_budget(const BudgetTake& take) override;
    Result<std::int64_t> give_back_budget(std::string_view key, std::int64_t window,
                                          std::int64_t amount) override;
    Result<std::int64_t> raise_shared_value(std::string_view key, std::int64_t value) override;
    Result<std::int64_t> shared_value(std::string_view key) override;
    Result<std::optional<std::int64_t>> take_lease(const LeaseTake& take) override;
    Result<void> release_lease(std::string_view key, std::int64_t slot, std::string_view holder) override;
    Result<std::uint64_t> renew_leases(std::string_view replica, Timestamp expires_at) override;
    Result<std::uint64_t> prune(Timestamp cutoff) override;

  private:
    // The connection, opened on first use; called with mutex_ held.
    Result<SqliteConnection*> connection();
    // Runs `work` between BEGIN IMMEDIATE and COMMIT (mutex_ held), rolling back when it fails.
    template <class T, class Work>
    Result<T> in_transaction(std::string_view what, Work&& work);

    const std::filesystem::path file_;
    const std::chrono::milliseconds busy_timeout_;
    std::mutex mutex_;  // one transaction at a time on connection_
    std::optional<SqliteConnection> connection_;
};

}  // namespace calrt::store
