#pragma once
// The group-commit writer's PostgreSQL half: one statement inserts a whole group (arrays unnested
// server-side) with ON CONFLICT DO NOTHING on the delivery identity, so a redelivery that reaches
// another replica is still a duplicate; the statement commits before its answer comes back.
// It reports its connection as the "store_writer" readiness component (review item N10): the
// listener's connection alone can be fine while the writer's cannot be opened.

#include <chrono>
#include <optional>

#include "calrt/core/metrics.hpp"
#include "calrt/core/readiness.hpp"
#include "postgres_connection.hpp"
#include "store_backend.hpp"

namespace calrt::store {

class PostgresBatchSink final : public DeliveryBatchSink {
  public:
    // `readiness` may be null.
    PostgresBatchSink(PostgresSettings settings, PostgresConnection connection,
                      MetricsRegistry& metrics, Readiness* readiness);

    // When the connection was lost, reconnects first; while reconnecting fails, groups are refused
    // at once (store_unavailable, Calendly retries) until the next attempt is due.
    Result<std::vector<StoreOutcome>> write(std::span<const WebhookDelivery> batch) override;
    // Re-opens a lost connection (with the same backoff), and every few seconds checks an idle
    // one, so readiness follows the writer's connection without waiting for a delivery.
    void idle() override;

  private:
    Result<PostgresConnection*> connection();
    void set_ready(bool ready, std::string detail);

    const PostgresSettings settings_;
    std::optional<PostgresConnection> connection_;
    std::chrono::steady_clock::time_point next_attempt_{};
    std::chrono::milliseconds backoff_{0};
    std::chrono::steady_clock::time_point last_answered_ = std::chrono::steady_clock::now();
    Counter& connection_failures_;
    Readiness* readiness_;
};

}  // namespace calrt::store
