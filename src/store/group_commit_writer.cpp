#include "group_commit_writer.hpp"

#include <sqlite3.h>

#include "calrt/core/logging.hpp"
#include "unix_millis.hpp"

namespace calrt::store {
namespace {

// Group sizes are counts of deliveries per transaction, not durations.
std::vector<double> group_size_buckets() { return {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}; }

Error refused(std::string code, std::string message) {
    auto error = Error::make(ErrorKind::unavailable, std::move(code), std::move(message));
    error.retry_after = std::chrono::seconds(1);
    return error;
}

}  // namespace

GroupCommitWriter::Metrics::Metrics(MetricsRegistry& registry)
    : stored(registry.counter("webhook_deliveries_stored_total",
                              "Webhook deliveries committed as new rows")),
      duplicates(
          registry.counter("webhook_deliveries_duplicate_total",
                           "Webhook deliveries that matched an already stored one (redeliveries)")),
      commits(
          registry.counter("webhook_store_commits_total", "Webhook store transactions committed")),
      failed_commits(
          registry.counter("webhook_store_commit_failures_total",
                           "Webhook store transactions that failed and were rolled back")),
      queued(registry.gauge("webhook_store_queue_depth",
                            "Webhook deliveries waiting for the store's writer to take them")),
      in_flight(
          registry.gauge("webhook_store_in_flight",
                         "Webhook deliveries submitted to the store and not yet acknowledged")),
      group_size(registry.histogram("webhook_store_group_commit_size",
                                    "Deliveries committed per transaction", {},
                                    group_size_buckets())),
      commit_seconds(registry.histogram("webhook_store_commit_duration_seconds",
                                        "Time from BEGIN to a durable COMMIT of one group")) {}

GroupCommitWriter::GroupCommitWriter(SqliteConnection connection, WriterLimits limits,
                                     DeliveryFeed& feed, MetricsRegistry& metrics)
    : connection_(std::move(connection)), limits_(limits), feed_(feed), metrics_(metrics) {}

GroupCommitWriter::~GroupCommitWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

Result<void> GroupCommitWriter::start() {
    // RETURNING yields the new id, and no row when the identity already exists (a redelivery).
    auto insert = connection_.prepare(
        "INSERT INTO webhook_deliveries (event, payload_uri, envelope_created_at, received_at_ms, "
        "raw_body, payload_digest) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT (event, payload_uri, envelope_created_at, payload_digest) DO NOTHING RETURNING id");
    if (!insert) return insert.error();
    auto find_existing = connection_.prepare(
        "SELECT id FROM webhook_deliveries WHERE event = ?1 AND payload_uri = ?2 AND "
        "envelope_created_at = ?3 AND payload_digest = ?4");
    if (!find_existing) return find_existing.error();
    insert_.emplace(std::move(*insert));
    find_existing_.emplace(std::move(*find_existing));
    thread_ = std::thread([this] { run(); });
    return {};
}

void GroupCommitWriter::submit(WebhookDelivery delivery,
                               std::unique_ptr<StoreCompletion> completion) {
    std::unique_lock lock(mutex_);
    if (stopping_) {
        lock.unlock();
        completion->complete(
            refused("store_closed", "the webhook store is shutting down; retry later"));
        return;
    }
    if (queue_.size() >= limits_.max_pending) {
        lock.unlock();
        completion->complete(refused("store_overloaded",
                                     "the webhook store has too many deliveries queued (" +
                                         std::to_string(limits_.max_pending) + "); retry later"));
        return;
    }
    queue_.push_back(Request{std::move(delivery), std::move(completion)});
    metrics_.queued.set(static_cast<double>(queue_.size()));
    metrics_.in_flight.inc();
    lock.unlock();
    wake_.notify_one();
}

void GroupCommitWriter::run() {
    for (;;) {
        auto batch = take_batch();
        if (batch.empty()) return;
        auto outcomes = write_batch(batch);
        finish_batch(batch, std::move(outcomes));
    }
}

std::vector<GroupCommitWriter::Request> GroupCommitWriter::take_batch() {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    const std::size_t size = std::min(queue_.size(), limits_.max_batch_size);
    std::vector<Request> batch;
    batch.reserve(size);
    for (std::size_t i = 0; i < size; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
    }
    metrics_.queued.set(static_cast<double>(queue_.size()));
    return batch;
}

Result<std::vector<StoreOutcome>> GroupCommitWriter::write_batch(
    const std::vector<Request>& batch) {
    const auto started = std::chrono::steady_clock::now();
    const auto roll_back = [this] {
        if (connection_.in_transaction()) (void)connection_.execute("ROLLBACK", "rolling back");
    };
    roll_back();  // a transaction left open by a failed COMMIT would swallow this batch

    if (auto begun = connection_.execute("BEGIN IMMEDIATE", "starting a transaction"); !begun) {
        return begun.error();
    }
    std::vector<StoreOutcome> outcomes;
    outcomes.reserve(batch.size());
    for (const auto& request : batch) {
        auto outcome = insert(request.delivery);
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
    metrics_.commits.inc();
    metrics_.group_size.observe(static_cast<double>(batch.size()));
    metrics_.commit_seconds.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return outcomes;
}

Result<StoreOutcome> GroupCommitWriter::insert(const WebhookDelivery& delivery) {
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

void GroupCommitWriter::finish_batch(std::vector<Request>& batch,
                                     Result<std::vector<StoreOutcome>> outcomes) {
    if (!outcomes) {
        metrics_.failed_commits.inc();
        log::error("webhook store transaction failed; nothing in it was acknowledged",
                   {{"deliveries", batch.size()},
                    {"code", outcomes.error().code},
                    {"reason", outcomes.error().message}});
        for (auto& request : batch) request.completion->complete(outcomes.error());
        metrics_.in_flight.add(-static_cast<double>(batch.size()));
        return;
    }
    // Acknowledge first: publishing must never stand between a commit and its acknowledgement.
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const auto& outcome = (*outcomes)[i];
        (outcome.duplicate ? metrics_.duplicates : metrics_.stored).inc();
        batch[i].completion->complete(outcome);
    }
    metrics_.in_flight.add(-static_cast<double>(batch.size()));
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const auto& outcome = (*outcomes)[i];
        if (outcome.duplicate) continue;
        feed_.publish(std::make_shared<const StoredDelivery>(
            StoredDelivery{outcome.id, std::move(batch[i].delivery)}));
    }
}

}  // namespace calrt::store
