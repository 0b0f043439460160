#include "postgres_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <vector>

namespace calrt::store {
namespace {

constexpr std::string_view kUnavailableHint = "; retry later";

// SQLSTATE classes after which the same statement may well succeed later: connection exceptions
// (08), transaction rollbacks such as serialization failures (40), insufficient resources (53),
// operator intervention such as a shutdown or a statement timeout (57), and system errors (58).
bool transient_sqlstate(std::string_view state) {
    if (state.size() != 5) return true;  // no SQLSTATE: the connection itself failed
    const std::string_view cls = state.substr(0, 2);
    return cls == "08" || cls == "40" || cls == "53" || cls == "57" || cls == "58" ||
           state == "25006";  // read-only transaction: a failed-over primary
}

// libpq's messages end in a newline and may span lines (DETAIL, HINT); the first line says it.
std::string first_line(std::string_view message) {
    const auto end = message.find('\n');
    return std::string(message.substr(0, end));
}

void scrub(std::string& message, std::string_view secret) {
    if (secret.empty()) return;
    for (auto at = message.find(secret); at != std::string::npos; at = message.find(secret, at)) {
        message.replace(at, secret.size(), "[redacted]");
    }
}

struct ConninfoOptions {
    void operator()(PQconninfoOption* options) const noexcept { PQconninfoFree(options); }
};
using ParsedConninfo = std::unique_ptr<PQconninfoOption, ConninfoOptions>;

Result<ParsedConninfo> parse_conninfo(const Secret& url) {
    const std::string& text = url.reveal();
    if (!text.starts_with("postgres://") && !text.starts_with("postgresql://")) {
        return Error::make(ErrorKind::invalid_argument, "invalid_database_url",
                           "DATABASE_URL must be a postgres:// or postgresql:// URL");
    }
    char* error = nullptr;
    ParsedConninfo parsed(PQconninfoParse(text.c_str(), &error));
    if (!parsed) {
        PQfreemem(error);  // libpq's reason may quote the URL, password included: not passed on
        return Error::make(ErrorKind::invalid_argument, "invalid_database_url",
                           "DATABASE_URL is not a connection URL libpq accepts "
                           "(postgres://user:password@host:port/database)");
    }
    return parsed;
}

std::string conninfo_value(const ParsedConninfo& parsed, std::string_view keyword) {
    for (const PQconninfoOption* option = parsed.get(); option->keyword; ++option) {
        if (keyword == option->keyword) return option->val ? option->val : "";
    }
    return {};
}

}  // namespace

Result<std::string> describe_database(const Secret& url) {
    auto parsed = parse_conninfo(url);
    if (!parsed) return parsed.error();
    std::string host = conninfo_value(*parsed, "host");
    if (host.empty()) host = conninfo_value(*parsed, "hostaddr");
    if (host.empty()) host = "localhost";
    std::string port = conninfo_value(*parsed, "port");
    std::string database = conninfo_value(*parsed, "dbname");
    return host + (port.empty() ? "" : ":" + port) + "/" + database;
}

void PostgresResult::Clear::operator()(pg_result* result) const noexcept { PQclear(result); }

int PostgresResult::rows() const noexcept { return PQntuples(result_.get()); }

std::string_view PostgresResult::text(int row, int column) const noexcept {
    return {PQgetvalue(result_.get(), row, column),
            static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

bool PostgresResult::is_null(int row, int column) const noexcept {
    return PQgetisnull(result_.get(), row, column) != 0;
}

std::int64_t PostgresResult::int64(int row, int column) const {
    const std::string_view digits = text(row, column);
    std::int64_t value = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return value;
}

void PostgresConnection::Finish::operator()(pg_conn* connection) const noexcept {
    PQfinish(connection);
}

Result<PostgresConnection> PostgresConnection::connect(const PostgresSettings& settings) {
    auto parsed = parse_conninfo(settings.url);
    if (!parsed) return parsed.error();
    const std::string connect_timeout = std::to_string(std::max<long>(settings.connect_timeout.count(), 1));
    const std::string options = "-c statement_timeout=" + std::to_string(settings.statement_timeout.count());
    const std::string tcp_user_timeout = std::to_string(settings.tcp_user_timeout.count());
    // Defaults first: with expand_dbname the URL (the last "dbname") overrides any of them it sets.
    const char* const keywords[] = {"connect_timeout", "application_name", "options",
                                    "tcp_user_timeout", "keepalives", "keepalives_idle",
                                    "keepalives_interval", "keepalives_count", "client_encoding",
                                    "dbname", nullptr};
    const char* const values[] = {connect_timeout.c_str(), "calendly-realtime", options.c_str(),
                                  tcp_user_timeout.c_str(), "1", "5", "2", "3", "UTF8",
                                  settings.url.reveal().c_str(), nullptr};
    std::unique_ptr<pg_conn, Finish> native(PQconnectdbParams(keywords, values, 1));
    PostgresConnection connection(std::move(native), conninfo_value(*parsed, "password"));
    if (!connection.connection_) {
        return Error::make(ErrorKind::unavailable, "store_unavailable",
                           "webhook store: connecting to the database failed: out of memory");
    }
    if (PQstatus(connection.native()) != CONNECTION_OK) {
        return connection.failure("connecting to the database", nullptr);
    }
    // libpq prints server notices (e.g. "relation … already exists, skipping" from the migration's
    // IF NOT EXISTS) to stderr, outside the structured log; they carry nothing to act on.
    PQsetNoticeProcessor(connection.native(), [](void*, const char*) {}, nullptr);
    return connection;
}

Result<PostgresResult> PostgresConnection::execute(std::string_view sql,
                                                   std::span<const std::string> params,
                                                   std::string_view what) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    values.reserve(params.size());
    lengths.reserve(params.size());
    for (const auto& param : params) {
        values.push_back(param.c_str());
        lengths.push_back(static_cast<int>(param.size()));
    }
    const std::string statement(sql);
    // Without parameters the simple protocol runs the text, which may hold several statements (a
    // migration); with them, the extended protocol sends them apart from the SQL (no quoting).
    pg_result* raw = params.empty()
                         ? PQexec(native(), statement.c_str())
                         : PQexecParams(native(), statement.c_str(), static_cast<int>(params.size()),
                                        nullptr, values.data(), lengths.data(), nullptr, 0);
    const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return PostgresResult(raw);
    Error error = failure(what, raw);
    PQclear(raw);
    return error;
}

bool PostgresConnection::usable() const noexcept {
    return connection_ && PQstatus(connection_.get()) == CONNECTION_OK;
}

int PostgresConnection::socket() const noexcept { return PQsocket(connection_.get()); }

Error PostgresConnection::failure(std::string_view what, pg_result* result) const {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string detail = first_line(result ? PQresultErrorMessage(result)
                                           : PQerrorMessage(connection_.get()));
    if (detail.empty()) detail = first_line(PQerrorMessage(connection_.get()));
    scrub(detail, password_);
    std::string message = "webhook store: " + std::string(what) + " failed: " + detail;
    if (!usable() || transient_sqlstate(state ? state : "")) {
        auto error = Error::make(ErrorKind::unavailable, "store_unavailable",
                                 std::move(message) + std::string(kUnavailableHint));
        error.retry_after = std::chrono::seconds(1);
        return error;
    }
    return Error::make(ErrorKind::internal, "store_failed", std::move(message));
}

std::string postgres_text_array(std::span<const std::string> items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        out += '"';
        for (const char c : items[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

std::string postgres_int64_array(std::span<const std::int64_t> items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        out += std::to_string(items[i]);
    }
    out += '}';
    return out;
}

}  // namespace calrt::store
