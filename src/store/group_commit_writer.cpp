#include "group_commit_writer.hpp"

#include "calrt/core/logging.hpp"

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

GroupCommitWriter::GroupCommitWriter(DeliveryBatchSink& sink, WriterLimits limits,
                                     DeliveryFeed* feed, MetricsRegistry& metrics)
    : sink_(sink), limits_(limits), feed_(feed), metrics_(metrics) {}

GroupCommitWriter::~GroupCommitWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void GroupCommitWriter::start() {
    thread_ = std::thread([this] { run(); });
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
        if (!batch) {
            sink_.idle();
            continue;
        }
        if (batch->deliveries.empty()) return;
        auto outcomes = write_batch(*batch);
        finish_batch(*batch, std::move(outcomes));
    }
}

std::optional<GroupCommitWriter::Batch> GroupCommitWriter::take_batch() {
    // A writer that only woke for deliveries would notice a lost database connection only with
    // the next delivery, and readiness would report it late (review item N10).
    constexpr std::chrono::seconds kIdleInterval{1};
    std::unique_lock lock(mutex_);
    if (!wake_.wait_for(lock, kIdleInterval, [this] { return stopping_ || !queue_.empty(); })) {
        return std::nullopt;
    }
    const std::size_t size = std::min(queue_.size(), limits_.max_batch_size);
    Batch batch;
    batch.deliveries.reserve(size);
    batch.completions.reserve(size);
    for (std::size_t i = 0; i < size; ++i) {
        batch.deliveries.push_back(std::move(queue_.front().delivery));
        batch.completions.push_back(std::move(queue_.front().completion));
        queue_.pop_front();
    }
    metrics_.queued.set(static_cast<double>(queue_.size()));
    return batch;
}

Result<std::vector<StoreOutcome>> GroupCommitWriter::write_batch(const Batch& batch) {
    const auto started = std::chrono::steady_clock::now();
    auto outcomes = sink_.write(batch.deliveries);
    if (!outcomes) return outcomes;
    if (outcomes->size() != batch.deliveries.size()) {
        return Error::make(ErrorKind::internal, "store_failed",
                           "webhook store: the database answered for " +
                               std::to_string(outcomes->size()) + " of " +
                               std::to_string(batch.deliveries.size()) + " deliveries");
    }
    metrics_.commits.inc();
    metrics_.group_size.observe(static_cast<double>(batch.deliveries.size()));
    metrics_.commit_seconds.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return outcomes;
}

void GroupCommitWriter::finish_batch(Batch& batch, Result<std::vector<StoreOutcome>> outcomes) {
    if (!outcomes) {
        metrics_.failed_commits.inc();
        log::error("webhook store transaction failed; nothing in it was acknowledged",
                   {{"deliveries", batch.deliveries.size()},
                    {"code", outcomes.error().code},
                    {"reason", outcomes.error().message}});
        for (auto& completion : batch.completions) completion->complete(outcomes.error());
        metrics_.in_flight.add(-static_cast<double>(batch.deliveries.size()));
        return;
    }
    // Acknowledge first: publishing must never stand between a commit and its acknowledgement.
    for (std::size_t i = 0; i < batch.deliveries.size(); ++i) {
        const auto& outcome = (*outcomes)[i];
        (outcome.duplicate ? metrics_.duplicates : metrics_.stored).inc();
        batch.completions[i]->complete(outcome);
    }
    metrics_.in_flight.add(-static_cast<double>(batch.deliveries.size()));
    if (feed_ == nullptr) return;
    for (std::size_t i = 0; i < batch.deliveries.size(); ++i) {
        const auto& outcome = (*outcomes)[i];
        if (outcome.duplicate) continue;
        feed_->publish(std::make_shared<const StoredDelivery>(
            StoredDelivery{outcome.id, std::move(batch.deliveries[i])}));
    }
}

}  // namespace calrt::store
