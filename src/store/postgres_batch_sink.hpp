#pragma once
// The group-commit writer's PostgreSQL half: one statement inserts a whole group (arrays unnested
// server-side) with ON CONFLICT DO NOTHING on the delivery identity, so a redelivery that reaches
// another replica is still a duplicate; the statement commits before its answer comes back.

#include <chrono>
#include <optional>

#include "calrt/core/metrics.hpp"
#include "postgres_connection.hpp"
#include "store_backend.hpp"

namespace calrt::store {

class PostgresBatchSink final : public DeliveryBatchSink {
  public:
    PostgresBatchSink(PostgresSettings settings, PostgresConnection connection,
                      MetricsRegistry& metrics);

    // When the connection was lost, reconnects first; while reconnecting fails, groups are refused
    // at once (store_unavailable, Calendly retries) until the next attempt is due.
    Result<std::vector<StoreOutcome>> write(std::span<const WebhookDelivery> batch) override;

  private:
    Result<PostgresConnection*> connection();

    const PostgresSettings settings_;
    std::optional<PostgresConnection> connection_;
    std::chrono::steady_clock::time_point next_attempt_{};
    std::chrono::milliseconds backoff_{0};
    Counter& connection_failures_;
};

}  // namespace calrt::store
