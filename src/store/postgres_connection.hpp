#pragma once
// A thin RAII layer over libpq: one connection, text-format parameters and results, and failures
// turned into calrt::Error without the credentials. Calls block, so a connection is only ever used
// on a store thread of its own (writer, reader pool, listener), never on an I/O thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calrt/core/error.hpp"
#include "calrt/core/secret.hpp"

struct pg_conn;
struct pg_result;

namespace calrt::store {

struct PostgresSettings {
    Secret url;  // DATABASE_URL: postgres://user:pass@host:port/db (libpq's URI form)
    // Bounds on every blocking call: libpq's connect_timeout, the server's statement_timeout, and
    // TCP_USER_TIMEOUT plus keepalives so a vanished server is noticed rather than waited on.
    std::chrono::seconds connect_timeout{5};
    std::chrono::milliseconds statement_timeout{10'000};
    std::chrono::milliseconds tcp_user_timeout{10'000};
};

// The keywords PQconnectdbParams is given, in order, the URL last ("dbname", expanded): whatever the
// URL sets overrides the ones before it. Bounds on every blocking call, and sslmode=verify-full
// (review item N10: libpq's default, prefer, encrypts without authenticating the server, so an
// on-path attacker could read and forge the store) unless the URL or `environment_sslmode`
// (PGSSLMODE) names an sslmode, or every host is on this machine (localhost, 127.0.0.0/8, ::1 or a
// Unix socket), where libpq's default stays. Fails like describe_database().
using PostgresConnectionOptions = std::vector<std::pair<std::string, std::string>>;
Result<PostgresConnectionOptions> postgres_connection_options(const PostgresSettings& settings,
                                                              std::string_view environment_sslmode);

// True when each host the URL's `host` and `hostaddr` lists (comma-separated) is on this machine;
// an empty `host` entry is libpq's default Unix socket.
bool database_hosts_are_local(std::string_view host, std::string_view hostaddr);

// "host:port/dbname" of a connection URL, for logs: never the user's password. Fails with
// `invalid_database_url` (the message does not echo the URL) when libpq cannot parse it.
Result<std::string> describe_database(const Secret& url);

class PostgresResult {
  public:
    explicit PostgresResult(pg_result* result) noexcept : result_(result) {}
    int rows() const noexcept;
    std::string_view text(int row, int column) const noexcept;
    bool is_null(int row, int column) const noexcept;
    std::int64_t int64(int row, int column) const;

  private:
    struct Clear {
        void operator()(pg_result* result) const noexcept;
    };
    std::unique_ptr<pg_result, Clear> result_;
};

class PostgresConnection {
  public:
    // Blocks for at most settings.connect_timeout. Errors are `unavailable` (store_unavailable).
    static Result<PostgresConnection> connect(const PostgresSettings& settings);

    PostgresConnection(PostgresConnection&&) noexcept = default;
    PostgresConnection& operator=(PostgresConnection&&) noexcept = default;
    ~PostgresConnection() = default;

    // One statement with text parameters ($1, $2, …), or without parameters any number of them,
    // committed on its own unless a transaction is open. `what` names the step in an error.
    Result<PostgresResult> execute(std::string_view sql, std::span<const std::string> params,
                                   std::string_view what);
    Result<PostgresResult> execute(std::string_view sql, std::string_view what) {
        return execute(sql, {}, what);
    }

    // False once the server or the network has dropped the connection; then make a new one.
    bool usable() const noexcept;
    int socket() const noexcept;
    pg_conn* native() const noexcept { return connection_.get(); }

  private:
    struct Finish {
        void operator()(pg_conn* connection) const noexcept;
    };
    PostgresConnection(std::unique_ptr<pg_conn, Finish> connection, std::string password)
        : connection_(std::move(connection)), password_(std::move(password)) {}
    Error failure(std::string_view what, pg_result* result) const;

    std::unique_ptr<pg_conn, Finish> connection_;
    std::string password_;  // only to scrub it from libpq's messages should one ever echo it
};

// A PostgreSQL text array literal ({"a","b\"c"}) of `items`, for one `$n::text[]` parameter: one
// statement then carries a whole batch.
std::string postgres_text_array(std::span<const std::string> items);
std::string postgres_int64_array(std::span<const std::int64_t> items);

}  // namespace calrt::store
