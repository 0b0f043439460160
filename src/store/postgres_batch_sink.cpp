#include "postgres_batch_sink.hpp"

#include <map>
#include <tuple>

#include "calrt/core/logging.hpp"
#include "unix_millis.hpp"

namespace calrt::store {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2'000};
// How long the writer's connection may sit unused before idle() checks that it still answers.
constexpr std::chrono::seconds kIdleCheck{5};
constexpr std::string_view kReadyDetail = "database connected";

// The identity columns, in the order of the unique constraint (postgres_schema.cpp).
using Identity = std::tuple<std::string_view, std::string_view, std::string_view, std::string_view>;

Identity identity_of(const WebhookDelivery& delivery) {
    return {delivery.event, delivery.payload_uri, delivery.envelope_created_at,
            delivery.payload_digest};
}

// Every name is schema-qualified (postgres_schema.hpp says why). $1..$6 are the group's columns as
// arrays, unnested into rows numbered by position. Rows that conflict with a committed one (or with
// one a concurrent replica is committing: ON CONFLICT waits for it) are skipped; the outer query
// pairs each position with its new id, or with the id of the row it duplicates as far as this
// statement's snapshot shows.
constexpr std::string_view kInsertGroup = R"sql(
WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[])
        WITH ORDINALITY AS t(event, payload_uri, envelope_created_at, received_at_ms, raw_body,
                             payload_digest, position)
), inserted AS (
    INSERT INTO public.webhook_deliveries
        (event, payload_uri, envelope_created_at, received_at_ms, raw_body, payload_digest)
    SELECT event, payload_uri, envelope_created_at, received_at_ms, raw_body, payload_digest
    FROM input ORDER BY position
    ON CONFLICT ON CONSTRAINT webhook_deliveries_identity DO NOTHING
    RETURNING id, event, payload_uri, envelope_created_at, payload_digest
)
SELECT input.position, inserted.id, existing.id
FROM input
LEFT JOIN inserted ON (inserted.event, inserted.payload_uri, inserted.envelope_created_at,
                       inserted.payload_digest)
                    = (input.event, input.payload_uri, input.envelope_created_at,
                       input.payload_digest)
LEFT JOIN public.webhook_deliveries existing
    ON (existing.event, existing.payload_uri, existing.envelope_created_at, existing.payload_digest)
     = (input.event, input.payload_uri, input.envelope_created_at, input.payload_digest)
ORDER BY input.position
)sql";

// For a row whose original another replica committed after the statement above took its snapshot.
constexpr std::string_view kFindOriginal =
    "SELECT id FROM public.webhook_deliveries WHERE event = $1 AND payload_uri = $2 AND "
    "envelope_created_at = $3 AND payload_digest = $4";

Error reconnecting(std::string reason) {
    auto error = Error::make(ErrorKind::unavailable, "store_unavailable",
                             "webhook store: the database connection is down (" +
                                 std::move(reason) + "); reconnecting, retry later");
    error.retry_after = std::chrono::seconds(1);
    return error;
}

}  // namespace

PostgresBatchSink::PostgresBatchSink(PostgresSettings settings, PostgresConnection connection,
                                     MetricsRegistry& metrics, Readiness* readiness)
    : settings_(std::move(settings)),
      connection_(std::move(connection)),
      connection_failures_(metrics.counter(
          "webhook_store_database_connection_failures_total",
          "Times the webhook store's writer found its database connection lost or could not "
          "open one")),
      readiness_(readiness) {
    set_ready(true, std::string(kReadyDetail));
}

void PostgresBatchSink::set_ready(bool ready, std::string detail) {
    if (readiness_ != nullptr) readiness_->set("store_writer", ready, std::move(detail));
}

void PostgresBatchSink::idle() {
    if (connection_ && connection_->usable()) {
        if (std::chrono::steady_clock::now() - last_answered_ < kIdleCheck) return;
        // A connection the server or the network dropped while idle looks usable until used.
        if (connection_->execute("SELECT 1", "checking the database connection")) {
            last_answered_ = std::chrono::steady_clock::now();
            return;
        }
    }
    (void)connection();
}

Result<PostgresConnection*> PostgresBatchSink::connection() {
    if (connection_ && connection_->usable()) return &*connection_;
    if (connection_) {
        connection_.reset();
        connection_failures_.inc();
        set_ready(false, "database connection lost; reconnecting");
        log::warn("webhook store lost its database connection; reconnecting");
    }
    const auto now = std::chrono::steady_clock::now();
    if (now < next_attempt_) return reconnecting("waiting before the next attempt");
    auto connected = PostgresConnection::connect(settings_);
    if (!connected) {
        connection_failures_.inc();
        set_ready(false, "database unreachable; reconnecting");
        backoff_ = std::min(kMaxBackoff, backoff_ == std::chrono::milliseconds{0} ? kFirstBackoff
                                                                                  : backoff_ * 2);
        next_attempt_ = std::chrono::steady_clock::now() + backoff_;
        return connected.error();
    }
    log::info("webhook store reconnected to the database");
    set_ready(true, std::string(kReadyDetail));
    last_answered_ = std::chrono::steady_clock::now();
    backoff_ = std::chrono::milliseconds{0};
    next_attempt_ = {};
    connection_.emplace(std::move(*connected));
    return &*connection_;
}

Result<std::vector<StoreOutcome>> PostgresBatchSink::write(std::span<const WebhookDelivery> batch) {
    auto connected = connection();
    if (!connected) return connected.error();
    PostgresConnection& db = **connected;

    // The same delivery twice in one group is sent once; the later copy is its duplicate.
    std::map<Identity, std::size_t> first_of;
    std::vector<std::size_t> unique_of(batch.size());
    std::vector<std::size_t> unique_positions;  // batch index of each row sent
    for (std::size_t i = 0; i < batch.size(); ++i) {
        auto [it, inserted] = first_of.try_emplace(identity_of(batch[i]), unique_positions.size());
        if (inserted) unique_positions.push_back(i);
        unique_of[i] = it->second;
    }
    std::vector<std::string> columns[5];
    std::vector<std::int64_t> received;
    for (const std::size_t i : unique_positions) {
        const auto& delivery = batch[i];
        columns[0].push_back(delivery.event);
        columns[1].push_back(delivery.payload_uri);
        columns[2].push_back(delivery.envelope_created_at);
        columns[3].push_back(delivery.raw_body);
        columns[4].push_back(delivery.payload_digest);
        received.push_back(to_unix_millis(delivery.received_at));
    }
    const std::string params[] = {postgres_text_array(columns[0]), postgres_text_array(columns[1]),
                                  postgres_text_array(columns[2]), postgres_int64_array(received),
                                  postgres_text_array(columns[3]), postgres_text_array(columns[4])};
    auto rows = db.execute(kInsertGroup, params, "storing deliveries");
    if (!rows) return rows.error();
    last_answered_ = std::chrono::steady_clock::now();
    if (rows->rows() != static_cast<int>(unique_positions.size())) {
        return Error::make(ErrorKind::internal, "store_failed",
                           "webhook store: the database answered for " +
                               std::to_string(rows->rows()) + " of " +
                               std::to_string(unique_positions.size()) + " deliveries");
    }

    std::vector<StoreOutcome> unique_outcomes(unique_positions.size());
    for (int row = 0; row < rows->rows(); ++row) {
        const auto index = static_cast<std::size_t>(rows->int64(row, 0) - 1);
        if (index >= unique_outcomes.size()) {
            return Error::make(ErrorKind::internal, "store_failed",
                               "webhook store: the database answered for an unknown position");
        }
        if (!rows->is_null(row, 1)) {
            unique_outcomes[index] = StoreOutcome{rows->int64(row, 1), false};
        } else if (!rows->is_null(row, 2)) {
            unique_outcomes[index] = StoreOutcome{rows->int64(row, 2), true};
        } else {
            const auto& delivery = batch[unique_positions[index]];
            const std::string identity[] = {delivery.event, delivery.payload_uri,
                                            delivery.envelope_created_at, delivery.payload_digest};
            auto original = db.execute(kFindOriginal, identity, "finding the original of a duplicate");
            if (!original) return original.error();
            if (original->rows() != 1) {
                return Error::make(ErrorKind::internal, "store_failed",
                                   "webhook store: a delivery was neither stored nor found");
            }
            unique_outcomes[index] = StoreOutcome{original->int64(0, 0), true};
        }
    }

    std::vector<StoreOutcome> outcomes;
    outcomes.reserve(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        StoreOutcome outcome = unique_outcomes[unique_of[i]];
        if (unique_positions[unique_of[i]] != i) outcome.duplicate = true;
        outcomes.push_back(outcome);
    }
    return outcomes;
}

}  // namespace calrt::store
