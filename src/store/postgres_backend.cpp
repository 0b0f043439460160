#include "postgres_backend.hpp"

#include "group_commit_writer.hpp"
#include "postgres_change_log.hpp"
#include "postgres_batch_sink.hpp"
#include "postgres_listener.hpp"
#include "postgres_reader.hpp"
#include "postgres_schema.hpp"
#include "postgres_shared_counters.hpp"

namespace calrt::store {
namespace {

class PostgresBackend final : public StoreBackend {
  public:
    PostgresBackend(const StoreOptions& options, PostgresSettings settings, std::string location,
                    PostgresConnection writer_connection, DeliveryFeed& feed,
                    MetricsRegistry& metrics)
        : location_(std::move(location)),
          reader_(settings),
          changes_(settings),
          counters_(settings),
          listener_(settings, feed, options.readiness, metrics),
          sink_(settings, std::move(writer_connection), metrics, options.readiness),
          // No feed: the listener publishes this replica's rows too, as the database announces
          // them, so every replica sees one stream in one order.
          writer_(sink_,
                  WriterLimits{std::max<std::size_t>(options.max_batch_size, 1), options.max_pending},
                  nullptr, metrics) {}

    Result<void> start(PostgresConnection listener_connection) {
        if (auto listening = listener_.start(std::move(listener_connection)); !listening) {
            return listening.error();
        }
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
    std::string location() const override { return "postgres " + location_; }

  private:
    const std::string location_;
    PostgresReader reader_;
    PostgresChangeLog changes_;
    PostgresSharedCounters counters_;
    PostgresListener listener_;
    PostgresBatchSink sink_;
    GroupCommitWriter writer_;  // last: stops (committing what is queued) before the sink goes
};

}  // namespace

Result<std::unique_ptr<StoreBackend>> open_postgres_backend(const StoreOptions& options,
                                                            DeliveryFeed& feed,
                                                            MetricsRegistry& metrics) {
    auto location = describe_database(options.database_url);
    if (!location) return location.error();
    PostgresSettings settings;
    settings.url = options.database_url;
    settings.connect_timeout = options.database_connect_timeout;
    settings.statement_timeout = options.database_statement_timeout;

    auto writer_connection = PostgresConnection::connect(settings);
    if (!writer_connection) return writer_connection.error();
    if (auto migrated = migrate_postgres_schema(*writer_connection); !migrated) {
        return migrated.error();
    }
    auto listener_connection = PostgresConnection::connect(settings);
    if (!listener_connection) return listener_connection.error();

    auto backend = std::make_unique<PostgresBackend>(options, settings, std::move(*location),
                                                     std::move(*writer_connection), feed, metrics);
    if (auto started = backend->start(std::move(*listener_connection)); !started) {
        return started.error();
    }
    return std::unique_ptr<StoreBackend>(std::move(backend));
}

}  // namespace calrt::store
