#pragma once
// A thin RAII layer over the SQLite C API: one connection, prepared statements, and SQLite result
// codes turned into calrt::Error. A connection is used by one thread at a time.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace calrt::store {

// Busy, locked, full-disk and I/O failures are `unavailable` (retrying later may succeed: Calendly
// retries a failed delivery for 24 h); anything else is `internal`.
Error sqlite_error(int result_code, std::string_view what, std::string_view detail);

class SqliteStatement;

class SqliteConnection {
  public:
    enum class Mode { read_write, read_only };

    static Result<SqliteConnection> open(const std::filesystem::path& file, Mode mode,
                                         std::chrono::milliseconds busy_timeout);

    SqliteConnection(SqliteConnection&& other) noexcept;
    SqliteConnection& operator=(SqliteConnection&& other) noexcept;
    ~SqliteConnection();

    // Runs one or more statements that return no rows the caller needs.
    Result<void> execute(std::string_view sql, std::string_view what);
    // The first column of the first row of `sql`, as text ("" when there is no row).
    Result<std::string> query_text(std::string_view sql, std::string_view what);
    Result<SqliteStatement> prepare(std::string_view sql);

    bool in_transaction() const noexcept;
    std::int64_t last_insert_rowid() const noexcept;
    int changes() const noexcept;
    Error error(int result_code, std::string_view what) const;
    // For the calls this class does not wrap (sqlite3_wal_hook, sqlite3_wal_checkpoint_v2).
    sqlite3* native_handle() const noexcept { return db_; }

  private:
    explicit SqliteConnection(sqlite3* db) noexcept : db_(db) {}
    sqlite3* db_ = nullptr;
};

class SqliteStatement {
  public:
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;
    ~SqliteStatement();

    // Parameters are numbered from 1, as in SQLite. Text is copied (SQLITE_TRANSIENT) so callers
    // may pass temporaries.
    void bind(int index, std::string_view text);
    void bind(int index, std::int64_t value);
    void bind_null(int index);

    // SQLITE_ROW, SQLITE_DONE or an error code; see SqliteConnection::error.
    int step();
    // Ready for the next execution with fresh bindings.
    void reset();

    std::string column_text(int index) const;
    std::int64_t column_int64(int index) const;

  private:
    friend class SqliteConnection;
    explicit SqliteStatement(sqlite3_stmt* statement) noexcept : statement_(statement) {}
    sqlite3_stmt* statement_ = nullptr;
};

}  // namespace calrt::store
