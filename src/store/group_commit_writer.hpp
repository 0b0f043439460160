#pragma once
// The store's single writer: a thread that takes every request queued so far (up to a batch limit),
// hands them to the database as one transaction, and only after the commit completes each request
// and publishes the new rows. One fsync then acknowledges a whole group of deliveries. The same
// writer serves SQLite and PostgreSQL; only the DeliveryBatchSink differs.

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "calrt/core/metrics.hpp"
#include "calrt/store/delivery_feed.hpp"
#include "store_backend.hpp"

namespace calrt::store {

struct WriterLimits {
    std::size_t max_batch_size = 512;
    std::size_t max_pending = 10'000;
};

class GroupCommitWriter {
  public:
    // `feed`: where committed rows are published, or null when the database announces them itself
    // (PostgreSQL NOTIFY reaches every replica, this one included).
    GroupCommitWriter(DeliveryBatchSink& sink, WriterLimits limits, DeliveryFeed* feed,
                      MetricsRegistry& metrics);
    // Commits and completes what is queued, then joins the thread.
    ~GroupCommitWriter();
    GroupCommitWriter(const GroupCommitWriter&) = delete;
    GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

    void start();
    void submit(WebhookDelivery delivery, std::unique_ptr<StoreCompletion> completion);

  private:
    struct Request {
        WebhookDelivery delivery;
        std::unique_ptr<StoreCompletion> completion;
    };
    struct Batch {
        std::vector<WebhookDelivery> deliveries;
        std::vector<std::unique_ptr<StoreCompletion>> completions;
    };
    struct Metrics {
        explicit Metrics(MetricsRegistry& registry);
        Counter& stored;
        Counter& duplicates;
        Counter& commits;
        Counter& failed_commits;
        Gauge& queued;
        Gauge& in_flight;
        Histogram& group_size;
        Histogram& commit_seconds;
    };

    void run();
    // What is queued (empty once stopping with nothing left), or nullopt after a second with
    // nothing queued (the sink's idle()).
    std::optional<Batch> take_batch();
    Result<std::vector<StoreOutcome>> write_batch(const Batch& batch);
    void finish_batch(Batch& batch, Result<std::vector<StoreOutcome>> outcomes);

    DeliveryBatchSink& sink_;
    const WriterLimits limits_;
    DeliveryFeed* feed_;
    Metrics metrics_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Request> queue_;  // guarded by mutex_
    bool stopping_ = false;      // guarded by mutex_
    std::thread thread_;
};

}  // namespace calrt::store
