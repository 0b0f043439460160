#pragma once
// The webhook store's on-disk format: durability settings of the writing connection and the schema,
// reached through numbered migrations recorded in `schema_version`.

#include "calrt/core/error.hpp"
#include "sqlite_connection.hpp"

namespace calrt::store {

// The newest schema version this build writes.
int latest_sqlite_schema_version() noexcept;

// WAL (readers never block the writer) and synchronous=FULL (a commit is on disk before it returns,
// so an acknowledged delivery survives power loss), then any migrations not yet applied. Refuses a
// database written by a newer build.
Result<void> prepare_writer_database(SqliteConnection& connection);

}  // namespace calrt::store
