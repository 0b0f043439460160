#include "sqlite_backend.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <optional>
#include <system_error>

#include "delivery_reader.hpp"
#include "group_commit_writer.hpp"
#include "sqlite_change_log.hpp"
#include "sqlite_connection.hpp"
#include "sqlite_schema.hpp"
#include "sqlite_shared_counters.hpp"
#include "unix_millis.hpp"
#include "wal_checkpointer.hpp"

namespace calrt::store {
namespace {

class SqliteBatchSink final : public DeliveryBatchSink {
  public:
    explicit SqliteBatchSink(SqliteConnection connection) : connection_(std::move(connection)) {}

    Result<void> prepare() {
        // RETURNING yields the new id, and no row when the identity already exists (a redelivery).
        auto insert = connection_.prepare(
            "INSERT INTO webhook_deliveries (event, payload_uri, envelope_created_at, "
            "received_at_ms, raw_body, payload_digest) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
            "ON CONFLICT (event, payload_uri, envelope_created_at, payload_digest) DO NOTHING "
            "RETURNING id");
        if (!insert) return insert.error();
        auto find_existing = connection_.prepare(
            "SELECT id FROM webhook_deliveries WHERE event = ?1 AND payload_uri = ?2 AND "
            "envelope_created_at = ?3 AND payload_digest = ?4");
        if (!find_existing) return find_existing.error();
        insert_.emplace(std::move(*insert));
        find_existing_.emplace(std::move(*find_existing));
        return {};
    }

    Result<std::vector<StoreOutcome>> write(std::span<const WebhookDelivery> batch) override;

    SqliteConnection& connection() { return connection_; }

  private:
    Result<StoreOutcome> insert(const WebhookDelivery& delivery);

    SqliteConnection connection_;
    std::optional<SqliteStatement> insert_;
    std::optional<SqliteStatement> find_existing_;
};

Result<std::vector<StoreOutcome>> SqliteBatchSink::write(std::span<const WebhookDelivery> batch) {
    const auto roll_back = [this] {
        if (connection_.in_transaction()) (void)connection_.execute("ROLLBACK", "rolling back");
    };
    roll_back();  // a transaction left open by a failed COMMIT would swallow this batch

    if (auto begun = connection_.execute("BEGIN IMMEDIATE", "starting a transaction"); !begun) {
        return begun.error();
    }
    std::vector<StoreOutcome> outcomes;
    outcomes.reserve(batch.size());
    for (const auto& delivery : batch) {
        auto outcome = insert(delivery);
        if (!outcome) {
            roll_back();
            return outcome.error();
        }
        outcomes.push_back(*outcome);
    }
    if (auto committed = connection_.execute("COMMIT", "committing deliveries"); !committed) {
        roll_back();
        return committed.error();
    }
    return outcomes;
}

Result<StoreOutcome> SqliteBatchSink::insert(const WebhookDelivery& delivery) {
    insert_->reset();
    insert_->bind(1, delivery.event);
    insert_->bind(2, delivery.payload_uri);
    insert_->bind(3, delivery.envelope_created_at);
    insert_->bind(4, to_unix_millis(delivery.received_at));
    insert_->bind(5, delivery.raw_body);
    insert_->bind(6, delivery.payload_digest);
    int rc = insert_->step();
    if (rc == SQLITE_ROW) {
        const StoreOutcome outcome{insert_->column_int64(0), false};
        rc = insert_->step();  // run the statement to completion before COMMIT
        insert_->reset();
        if (rc != SQLITE_DONE) return connection_.error(rc, "storing a delivery");
        return outcome;
    }
    insert_->reset();
    if (rc != SQLITE_DONE) return connection_.error(rc, "storing a delivery");

    // Nothing inserted: the identity exists, committed earlier or earlier in this same transaction.
    find_existing_->reset();
    find_existing_->bind(1, delivery.event);
    find_existing_->bind(2, delivery.payload_uri);
    find_existing_->bind(3, delivery.envelope_created_at);
    find_existing_->bind(4, delivery.payload_digest);
    rc = find_existing_->step();
    if (rc != SQLITE_ROW) {
        find_existing_->reset();
        return connection_.error(rc == SQLITE_DONE ? SQLITE_INTERNAL : rc,
                                 "finding the original of a duplicate");
    }
    const StoreOutcome outcome{find_existing_->column_int64(0), true};
    find_existing_->reset();
    return outcome;
}

class SqliteBackend final : public StoreBackend {
  public:
    SqliteBackend(const StoreOptions& options, std::filesystem::path file,
                  SqliteConnection writer_connection, DeliveryFeed& feed, MetricsRegistry& metrics)
        : file_(std::move(file)),
          busy_timeout_(options.busy_timeout),
          reader_(file_, options.busy_timeout),
          changes_(file_, options.busy_timeout),
          counters_(file_, options.busy_timeout),
          sink_(std::move(writer_connection)),
          writer_(sink_,
                  WriterLimits{std::max<std::size_t>(options.max_batch_size, 1), options.max_pending},
                  &feed, metrics) {}

    Result<void> start() {
        if (auto readable = reader_.check(); !readable) return readable.error();
        if (auto prepared = sink_.prepare(); !prepared) return prepared.error();
        auto checkpointer = WalCheckpointer::start(file_, sink_.connection(), busy_timeout_);
        if (!checkpointer) return checkpointer.error();
        checkpointer_ = std::move(*checkpointer);
        writer_.start();
        return {};
    }

    void submit(WebhookDelivery delivery, std::unique_ptr<StoreCompletion> completion) override {
        writer_.submit(std::move(delivery), std::move(completion));
    }
    Result<ListPage> list(const ListQuery& query) override { return reader_.list(query); }
    Result<std::uint64_t> count() override { return reader_.count(); }
    Result<std::int64_t> record_change(const SelfServiceChangeRecord& change) override {
        return changes_.record(change);
    }
    Result<ChangePage> list_changes(const ChangeQuery& query) override { return changes_.list(query); }
    Result<std::uint64_t> prune_changes(Timestamp cutoff) override { return changes_.prune(cutoff); }
    SharedStateBackend& shared_state() override { return counters_; }
    std::string location() const override { return file_.string(); }
    std::filesystem::path database_file() const override { return file_; }

  private:
    const std::filesystem::path file_;
    const std::chrono::milliseconds busy_timeout_;
    DeliveryReader reader_;
    SqliteChangeLog changes_;
    SqliteSharedCounters counters_;
    SqliteBatchSink sink_;
    std::unique_ptr<WalCheckpointer> checkpointer_;  // hooks sink_'s connection
    GroupCommitWriter writer_;  // last: stops (committing what is queued) before the sink goes
};

}  // namespace

Result<std::unique_ptr<StoreBackend>> open_sqlite_backend(const StoreOptions& options,
                                                          DeliveryFeed& feed,
                                                          MetricsRegistry& metrics) {
    std::error_code ec;
    std::filesystem::create_directories(options.data_dir, ec);
    if (ec) {
        return Error::make(ErrorKind::unavailable, "store_unavailable",
                           "webhook store: cannot create DATA_DIR " + options.data_dir.string() +
                               ": " + ec.message());
    }
    // SQLite's own error for this is a bare "unable to open database file": say whose the
    // directory must be (in the Docker image, uid 10001; README, "Docker").
    if (::access(options.data_dir.c_str(), W_OK | X_OK) != 0) {
        return Error::make(ErrorKind::unavailable, "store_unavailable",
                           "webhook store: DATA_DIR " + options.data_dir.string() +
                               " is not writable by uid " + std::to_string(::geteuid()) +
                               ", which this service runs as; make that uid its owner (chown " +
                               std::to_string(::geteuid()) + " " + options.data_dir.string() + ")");
    }
    auto file = options.data_dir / options.file_name;
    auto connection =
        SqliteConnection::open(file, SqliteConnection::Mode::read_write, options.busy_timeout);
    if (!connection) return connection.error();
    if (auto prepared = prepare_writer_database(*connection); !prepared) return prepared.error();
    auto backend = std::make_unique<SqliteBackend>(options, std::move(file), std::move(*connection),
                                                   feed, metrics);
    if (auto started = backend->start(); !started) return started.error();
    return std::unique_ptr<StoreBackend>(std::move(backend));
}

}  // namespace calrt::store
