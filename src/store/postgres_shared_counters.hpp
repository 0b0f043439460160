#pragma once
// Once-claims and budget windows (shared_counters.hpp) on PostgreSQL, where every replica meets:
// each operation is one statement that the database makes atomic (INSERT … ON CONFLICT), on one
// connection of its own used by the store's read pool, re-opened once the server dropped it.

#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "calrt/core/time.hpp"
#include "calrt/store/shared_counters.hpp"
#include "store_backend.hpp"
#include "postgres_connection.hpp"

namespace calrt::store {

class PostgresSharedCounters final : public SharedStateBackend {
  public:
    explicit PostgresSharedCounters(PostgresSettings settings);

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
    // Runs `sql` (mutex_ held) on the connection, or on a new one when there is none. A statement
    // that failed because the connection died is not run again: it may have committed just
    // before, and a claim or a take must not count twice. The caller gets `unavailable`, and the
    // next call connects afresh.
    Result<PostgresResult> run(std::string_view sql, std::span<const std::string> params,
                               std::string_view what);

    const PostgresSettings settings_;
    std::mutex mutex_;
    std::optional<PostgresConnection> connection_;  // guarded by mutex_
};

}  // namespace calrt::store
