#pragma once
// The store on PostgreSQL (DATABASE_URL), for several replicas sharing one database: the same
// group-commit writer as SQLite, readers on the store's read pool, and a listener that brings
// every replica's new deliveries to this replica's live subscribers.

#include <memory>

#include "calrt/core/metrics.hpp"
#include "calrt/store/delivery_feed.hpp"
#include "store_backend.hpp"

namespace calrt::store {

// Connects, applies the schema migrations under an advisory lock, and starts listening. Fails
// with `invalid_database_url` for a URL libpq cannot parse, `store_unavailable` when the database
// cannot be reached, or `store_failed`/`store_schema_too_new` for a database it cannot use.
Result<std::unique_ptr<StoreBackend>> open_postgres_backend(const StoreOptions& options,
                                                            DeliveryFeed& feed,
                                                            MetricsRegistry& metrics);

}  // namespace calrt::store
