#pragma once
// The webhook store's schema on PostgreSQL, reached through numbered migrations recorded in
// `calrt_schema_version`, and the channel on which every inserted delivery is announced.
//
// Every SQL name the store uses is qualified with `public` (review item N10): with unqualified names
// a table that another role created in a schema earlier on the search_path (one named after the
// service's role, "$user") would capture the inserts and answer the reads. Built-in functions and
// operators need no qualifier: pg_catalog is searched first.

#include <string_view>

#include "calrt/core/error.hpp"
#include "postgres_connection.hpp"

namespace calrt::store {

// LISTEN/NOTIFY channel: the payload is the new row's id (a trigger sends it inside the inserting
// transaction, so it is delivered exactly when the row is committed, whichever replica wrote it).
// PostgreSQL has no privilege on NOTIFY: any role that can connect to the database can send on it.
// The listener only takes an id and reads that row, so such a notification can make replicas
// re-publish a stored delivery (replay), never forge one.
inline constexpr std::string_view kDeliveryChannel = "calrt_webhook_deliveries";

int latest_postgres_schema_version() noexcept;

// Applies the migrations not yet applied, in one transaction under an advisory lock: replicas that
// start together take turns, and the second finds the work done. Refuses a newer schema.
Result<void> migrate_postgres_schema(PostgresConnection& connection);

}  // namespace calrt::store
