#pragma once
// The durable webhook event store: SQLite in WAL mode under DATA_DIR by default, or PostgreSQL
// (DATABASE_URL) shared by several replicas. Every write goes through one writer thread that
// commits whatever has queued in one transaction (group commit) and only then completes each
// request, so an acknowledgement always follows its own commit while throughput stays high
// (issue 4). Reads use their own connections on a small thread pool. Nothing blocks the caller's
// I/O thread: the awaitable calls resume on the caller's executor.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calrt/core/error.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/readiness.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/store/delivery_feed.hpp"
#include "calrt/store/self_service_change.hpp"
#include "calrt/store/shared_counters.hpp"
#include "calrt/store/webhook_delivery.hpp"

namespace calrt::store {

struct StoreOptions {
    // DATABASE_URL (postgres://…): the store on PostgreSQL. Empty: SQLite in data_dir.
    Secret database_url{};
    std::chrono::seconds database_connect_timeout{5};
    std::chrono::milliseconds database_statement_timeout{10'000};
    std::filesystem::path data_dir = "./data";  // DATA_DIR; created when missing
    std::string file_name = "webhooks.sqlite3";
    // Most deliveries one transaction commits; a larger queue is committed in several.
    std::size_t max_batch_size = 512;
    // Deliveries waiting for the writer beyond this are refused as `unavailable` (back-pressure:
    // Calendly retries) instead of growing memory and latency without bound.
    std::size_t max_pending = 10'000;
    // How long a statement waits for a lock held by another process before failing.
    std::chrono::milliseconds busy_timeout{5'000};
    unsigned read_threads = 2;
    // Where the store's metrics go; when null the store keeps them in a registry of its own.
    MetricsRegistry* metrics = nullptr;
    // On PostgreSQL the store reports its database connection as the "store" component here
    // (not ready while it reconnects); may be null.
    Readiness* readiness = nullptr;
    // SELF_SERVICE_AUDIT_RETENTION_DAYS (the service passes it; 365 by default): self-service
    // changes recorded longer ago than this are deleted when the store opens and then every prune
    // interval. Zero keeps them forever, and is the default here, so that nothing that opens the
    // store without the service's configuration (a tool, a benchmark) deletes what it should keep.
    std::chrono::days self_service_audit_retention{0};
    // How often expired audit changes, once-claims and budget windows (kSharedStateRetention)
    // are deleted while the store runs.
    std::chrono::milliseconds retention_prune_interval = std::chrono::hours(1);
};

struct StoreOutcome {
    std::int64_t id = 0;     // the delivery's row id (the original row's for a duplicate)
    bool duplicate = false;  // a delivery with the same identity was already stored
};

inline constexpr std::size_t kDefaultListLimit = 50;
inline constexpr std::size_t kMaxListLimit = 500;

struct ListQuery {
    // Every member has a default so that designated initializers may name any subset of them.
    std::optional<std::string> event{};  // exact event name
    // Only deliveries received at or after this time.
    std::optional<std::chrono::system_clock::time_point> since{};
    std::size_t limit = kDefaultListLimit;  // 1..kMaxListLimit
    std::optional<std::string> cursor{};    // a previous page's next_cursor, with the same filters
};

struct ListPage {
    std::vector<StoredDelivery> items;       // newest first
    std::optional<std::string> next_cursor;  // set when older matching deliveries remain
};

class WebhookStore {
  public:
    // Creates the directory and database when missing (SQLite) or connects (PostgreSQL), and
    // migrates the schema. Fails (internal, unavailable or invalid_argument, with the reason and
    // never a password) when the database cannot be used.
    static Result<std::unique_ptr<WebhookStore>> open(StoreOptions options);

    // Commits what is already queued, completes it, then stops; later stores answer `unavailable`.
    // Destroy the store before the execution contexts (io_context) of the coroutines awaiting it:
    // its threads hold their executors until every completion has been handed over.
    ~WebhookStore();
    WebhookStore(const WebhookStore&) = delete;
    WebhookStore& operator=(const WebhookStore&) = delete;

    // Resumes on the calling coroutine's executor once the transaction holding the row (or, for a
    // duplicate, the original row) has committed. Errors: `unavailable` (store_overloaded,
    // store_closed, store_unavailable: busy, disk full, I/O) or `internal` (store_failed).
    boost::asio::awaitable<Result<StoreOutcome>> store(WebhookDelivery delivery);
    // The same, waiting on the calling thread: for tests, the CLI and benchmarks, never I/O
    // threads.
    Result<StoreOutcome> store_blocking(WebhookDelivery delivery);

    // Errors: invalid_argument (`invalid_limit`, `invalid_cursor`) or the store errors above.
    boost::asio::awaitable<Result<ListPage>> list(ListQuery query);
    Result<ListPage> list_blocking(const ListQuery& query);

    boost::asio::awaitable<Result<std::uint64_t>> count();
    Result<std::uint64_t> count_blocking();

    // The self-service audit log (self_service_change.hpp), on the store's own threads: resumes on
    // the calling coroutine's executor once the change has committed, with its id. Errors as for
    // store(), and for list_changes() those of list().
    boost::asio::awaitable<Result<std::int64_t>> record_change(SelfServiceChangeRecord change);
    Result<std::int64_t> record_change_blocking(const SelfServiceChangeRecord& change);
    boost::asio::awaitable<Result<ChangePage>> list_changes(ChangeQuery query);
    Result<ChangePage> list_changes_blocking(const ChangeQuery& query);

    // Shared by every replica on the database (shared_counters.hpp), on the store's own threads;
    // each resumes on the calling coroutine's executor after its commit. Errors as for store():
    // `unavailable` or `internal`, and invalid_argument (`invalid_budget_amount`) for a negative
    // amount.
    //
    // True the first time `key` is claimed by any replica, false every later time (until the
    // claim expires after kSharedStateRetention).
    boost::asio::awaitable<Result<bool>> claim_once(std::string key);
    // Adds take.amount to the window's use when that stays within take.limit; refused, changes
    // nothing.
    boost::asio::awaitable<Result<BudgetTaken>> take_budget(BudgetTake take);
    // Returns `amount` taken earlier (a reservation not used); the use never goes below 0. The
    // window's use afterwards.
    boost::asio::awaitable<Result<std::int64_t>> give_back_budget(std::string key,
                                                                  std::int64_t window,
                                                                  std::int64_t amount);
    // Keeps the larger of `key`'s value and `value` (a time until which something holds, say);
    // the value afterwards. A value untouched for kSharedStateRetention is forgotten.
    boost::asio::awaitable<Result<std::int64_t>> raise_shared_value(std::string key, std::int64_t value);
    // `key`'s value, 0 when it has none; a read, without a write lock.
    boost::asio::awaitable<Result<std::int64_t>> shared_value(std::string key);
    // A place under take.key (shared_counters.hpp, LeaseTake): the place's number, or nullopt
    // when all take.places are held by leases that have not run out.
    boost::asio::awaitable<Result<std::optional<std::int64_t>>> take_lease(LeaseTake take);
    // Gives the place back, if `holder` still holds it.
    boost::asio::awaitable<Result<void>> release_lease(std::string key, std::int64_t slot, std::string holder);
    // Every lease `replica` holds now runs until `expires_at`; how many it holds.
    boost::asio::awaitable<Result<std::uint64_t>> renew_leases(std::string replica, Timestamp expires_at);

    // Publishes each newly committed delivery (never duplicates) after its commit; on PostgreSQL,
    // every replica's, as the database announces them.
    DeliveryFeed& feed() noexcept;
    // The SQLite file; empty on PostgreSQL.
    std::filesystem::path database_file() const;
    // For logs: the file, or "postgres host:port/database".
    std::string location() const;

    struct Impl;

  private:
    explicit WebhookStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace calrt::store
