#pragma once
// Cross-replica live confirmations: a thread of its own LISTENs on the deliveries channel, reads
// each announced row and publishes it to this replica's DeliveryFeed, whichever replica stored it.
// It also watches the database for the whole store: when its connection drops it marks the store
// not ready and reconnects with backoff, and marks it ready again once LISTEN is back.

#include <atomic>
#include <optional>
#include <thread>

#include "calrt/core/metrics.hpp"
#include "calrt/core/readiness.hpp"
#include "calrt/store/delivery_feed.hpp"
#include "postgres_connection.hpp"

namespace calrt::store {

class PostgresListener {
  public:
    // `readiness` may be null; otherwise its "store" component follows the connection.
    PostgresListener(PostgresSettings settings, DeliveryFeed& feed, Readiness* readiness,
                     MetricsRegistry& metrics);
    // Stops and joins the thread.
    ~PostgresListener();
    PostgresListener(const PostgresListener&) = delete;
    PostgresListener& operator=(const PostgresListener&) = delete;

    // Starts listening on `connection` (LISTEN is sent before this returns, so nothing committed
    // afterwards is missed), then runs the thread.
    Result<void> start(PostgresConnection connection);

  private:
    void run();
    Result<void> listen(PostgresConnection& connection);
    // Waits for input on the connection or for stop(); false once stopping.
    bool wait_for_input(std::optional<std::chrono::milliseconds> timeout);
    void publish_announced();
    void set_ready(bool ready, std::string detail);

    const PostgresSettings settings_;
    DeliveryFeed& feed_;
    Readiness* readiness_;
    Counter& announced_;
    Counter& reconnects_;
    std::optional<PostgresConnection> connection_;  // used by the thread only once started
    int stop_fd_ = -1;                              // an eventfd written once to stop
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace calrt::store
