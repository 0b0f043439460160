#pragma once
// The store's single writer: a thread that takes every request queued so far (up to a batch limit),
// inserts them in one transaction, commits, and only then completes each request and publishes the
// new rows. One fsync then acknowledges a whole group of deliveries.

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "calrt/core/metrics.hpp"
#include "calrt/store/delivery_feed.hpp"
#include "calrt/store/webhook_store.hpp"
#include "sqlite_connection.hpp"

namespace calrt::store {

// How a store request learns its outcome. complete() is called exactly once, on the writer thread
// (or the submitting thread when the request is refused), and must not block.
class StoreCompletion {
  public:
    virtual ~StoreCompletion() = default;
    virtual void complete(Result<StoreOutcome> outcome) = 0;
};

struct WriterLimits {
    std::size_t max_batch_size = 512;
    std::size_t max_pending = 10'000;
};

class GroupCommitWriter {
  public:
    // `connection` must already be prepared (prepare_writer_database).
    GroupCommitWriter(SqliteConnection connection, WriterLimits limits, DeliveryFeed& feed,
                      MetricsRegistry& metrics);
    // Commits and completes what is queued, then joins the thread.
    ~GroupCommitWriter();
    GroupCommitWriter(const GroupCommitWriter&) = delete;
    GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

    // Prepares the statements and starts the thread.
    Result<void> start();
    void submit(WebhookDelivery delivery, std::unique_ptr<StoreCompletion> completion);

  private:
    struct Request {
        WebhookDelivery delivery;
        std::unique_ptr<StoreCompletion> completion;
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
    std::vector<Request> take_batch();
    Result<std::vector<StoreOutcome>> write_batch(const std::vector<Request>& batch);
    Result<StoreOutcome> insert(const WebhookDelivery& delivery);
    void finish_batch(std::vector<Request>& batch, Result<std::vector<StoreOutcome>> outcomes);

    SqliteConnection connection_;
    std::optional<SqliteStatement> insert_;
    std::optional<SqliteStatement> find_existing_;
    const WriterLimits limits_;
    DeliveryFeed& feed_;
    Metrics metrics_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Request> queue_;  // guarded by mutex_
    bool stopping_ = false;      // guarded by mutex_
    std::thread thread_;
};

}  // namespace calrt::store
