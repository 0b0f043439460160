#include "sqlite_connection.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <utility>

namespace calrt::store {

Error sqlite_error(int result_code, std::string_view what, std::string_view detail) {
    std::string message = "webhook store: " + std::string(what) + " failed: " + std::string(detail);
    switch (result_code & 0xff) {  // the primary code; extended codes keep it in the low byte
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN: {
            auto error = Error::make(ErrorKind::unavailable, "store_unavailable",
                                     std::move(message) + "; retry later");
            error.retry_after = std::chrono::seconds(1);
            return error;
        }
        default:
            return Error::make(ErrorKind::internal, "store_failed", std::move(message));
    }
}

Result<SqliteConnection> SqliteConnection::open(const std::filesystem::path& file, Mode mode,
                                                std::chrono::milliseconds busy_timeout) {
    // NOMUTEX: each connection is confined to one thread at a time by its owner.
    const int flags =
        SQLITE_OPEN_NOMUTEX | (mode == Mode::read_write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                                        : SQLITE_OPEN_READWRITE);
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
    SqliteConnection connection(db);  // closes `db` on every path, even when opening failed
    if (rc != SQLITE_OK) {
        const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        return sqlite_error(rc, "opening " + file.string(), detail);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
    if (mode == Mode::read_only) {
        // Read-write open (a read-only one cannot create the WAL index) but refusing writes.
        if (auto ok = connection.execute("PRAGMA query_only = ON", "configuring a read connection");
            !ok) {
            return ok.error();
        }
    }
    return connection;
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(db_); }

Error SqliteConnection::error(int result_code, std::string_view what) const {
    return sqlite_error(result_code, what, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(result_code));
}

Result<void> SqliteConnection::execute(std::string_view sql, std::string_view what) {
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return error(rc, what);
    return {};
}

Result<std::string> SqliteConnection::query_text(std::string_view sql, std::string_view what) {
    auto statement = prepare(sql);
    if (!statement) return statement.error();
    const int rc = statement->step();
    if (rc == SQLITE_DONE) return std::string();
    if (rc != SQLITE_ROW) return error(rc, what);
    return statement->column_text(0);
}

Result<SqliteStatement> SqliteConnection::prepare(std::string_view sql) {
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) return error(rc, "preparing \"" + std::string(sql.substr(0, 60)) + "\"");
    return SqliteStatement(statement);
}

bool SqliteConnection::in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }

std::int64_t SqliteConnection::last_insert_rowid() const noexcept {
    return sqlite3_last_insert_rowid(db_);
}

int SqliteConnection::changes() const noexcept { return sqlite3_changes(db_); }

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(statement_);
        statement_ = std::exchange(other.statement_, nullptr);
    }
    return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

void SqliteStatement::bind(int index, std::string_view text) {
    // SQLITE_TRANSIENT spelled without its C cast (-Wold-style-cast): SQLite copies the text.
    const auto transient =
        reinterpret_cast<sqlite3_destructor_type>(static_cast<std::intptr_t>(-1));
    sqlite3_bind_text64(statement_, index, text.data(), text.size(), transient, SQLITE_UTF8);
}

void SqliteStatement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(statement_, index, value);
}

void SqliteStatement::bind_null(int index) { sqlite3_bind_null(statement_, index); }

int SqliteStatement::step() { return sqlite3_step(statement_); }

void SqliteStatement::reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

std::string SqliteStatement::column_text(int index) const {
    const auto* text = sqlite3_column_text(statement_, index);
    const int size =
        sqlite3_column_bytes(statement_, index);  // after column_text, as SQLite requires
    if (!text) return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::int64_t SqliteStatement::column_int64(int index) const {
    return sqlite3_column_int64(statement_, index);
}

}  // namespace calrt::store
