#pragma once
// The embedded default: SQLite in WAL mode under DATA_DIR, one writing connection on the
// group-commit writer's thread and read connections on the store's read pool.

#include <memory>

#include "calrt/core/metrics.hpp"
#include "calrt/store/delivery_feed.hpp"
#include "store_backend.hpp"

namespace calrt::store {

// Creates DATA_DIR and the database when missing and migrates the schema. Fails (internal or
// unavailable, with the path and SQLite's reason) when the directory or file cannot be used.
Result<std::unique_ptr<StoreBackend>> open_sqlite_backend(const StoreOptions& options,
                                                          DeliveryFeed& feed,
                                                          MetricsRegistry& metrics);

}  // namespace calrt::store
