#pragma once
// What WebhookStore asks of a database: SQLite in DATA_DIR (the default) or PostgreSQL
// (DATABASE_URL, for several replicas). Both complete a store request only after its commit.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calrt/core/error.hpp"
#include "calrt/store/webhook_store.hpp"

namespace calrt::store {

// How a store request learns its outcome. complete() is called exactly once, on a store thread
// (or the submitting thread when the request is refused), and must not block.
class StoreCompletion {
  public:
    virtual ~StoreCompletion() = default;
    virtual void complete(Result<StoreOutcome> outcome) = 0;
};

// The database half of the group-commit writer: stores one group in one transaction.
class DeliveryBatchSink {
  public:
    virtual ~DeliveryBatchSink() = default;
    // All of `batch` committed, outcome i for batch[i] (a duplicate names the original row, also
    // when the original is earlier in the same batch), or an error and nothing committed.
    virtual Result<std::vector<StoreOutcome>> write(std::span<const WebhookDelivery> batch) = 0;
    // Called on the writer's thread after a quiet spell with nothing queued: the moment to check a
    // connection, or to re-open one, without waiting for the next delivery.
    virtual void idle() {}
};

// A database written by a newer build than this one: refused rather than written with an older schema.
inline Error schema_too_new(int found, int latest, std::string_view remedy) {
    return Error::make(ErrorKind::internal, "store_schema_too_new",
                       "webhook store: the database has schema version " + std::to_string(found) +
                           " but this build knows only up to " + std::to_string(latest) + "; " +
                           std::string(remedy));
}

// What every replica on the database must agree on (shared_counters.hpp), each operation
// committed before it returns. Blocks the calling thread: WebhookStore calls it on its read pool.
class SharedStateBackend {
  public:
    virtual ~SharedStateBackend() = default;
    // True the first time `key` is claimed.
    virtual Result<bool> claim_once(std::string_view key) = 0;
    virtual Result<BudgetTaken> take_budget(const BudgetTake& take) = 0;
    virtual Result<std::int64_t> give_back_budget(std::string_view key, std::int64_t window,
                                                  std::int64_t amount) = 0;
    // A value that only grows: raise_shared_value keeps the larger of the stored and the given
    // value and returns it; shared_value reads it (0 when there is none) without a write lock.
    virtual Result<std::int64_t> raise_shared_value(std::string_view key, std::int64_t value) = 0;
    virtual Result<std::int64_t> shared_value(std::string_view key) = 0;
    // Leases on places: the place taken, nullopt when every one is held; giving one back (only
    // `holder`'s); and extending every lease of `replica` to `expires_at`, with how many there are.
    virtual Result<std::optional<std::int64_t>> take_lease(const LeaseTake& take) = 0;
    virtual Result<void> release_lease(std::string_view key, std::int64_t slot, std::string_view holder) = 0;
    virtual Result<std::uint64_t> renew_leases(std::string_view replica, Timestamp expires_at) = 0;
    // Deletes claims made, windows and values last changed, and leases run out before `cutoff`;
    // how many rows went.
    virtual Result<std::uint64_t> prune(Timestamp cutoff) = 0;
};

class StoreBackend {
  public:
    virtual ~StoreBackend() = default;
    virtual void submit(WebhookDelivery delivery, std::unique_ptr<StoreCompletion> completion) = 0;
    // Block the calling thread: WebhookStore calls them on its read pool.
    virtual Result<ListPage> list(const ListQuery& query) = 0;
    virtual Result<std::uint64_t> count() = 0;
    // The self-service audit log: committed before record_change returns; prune_changes deletes
    // what was recorded before `cutoff` and says how many.
    virtual Result<std::int64_t> record_change(const SelfServiceChangeRecord& change) = 0;
    virtual Result<ChangePage> list_changes(const ChangeQuery& query) = 0;
    virtual Result<std::uint64_t> prune_changes(Timestamp cutoff) = 0;
    // Claims, budgets, values and leases (shared_counters.hpp).
    virtual SharedStateBackend& shared_state() = 0;
    // Where the data is, for the log: a file path, or host:port/database (never a password).
    virtual std::string location() const = 0;
    virtual std::filesystem::path database_file() const { return {}; }
};

}  // namespace calrt::store
