#include "postgres_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <vector>

#include "calrt/core/ip_network.hpp"
#include "calrt/core/text.hpp"

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

bool local_host(std::string_view host) {
    // libpq: a host starting with a slash is a Unix-socket directory, with @ an abstract socket.
    if (host.empty() || host.starts_with('/') || host.starts_with('@') || host == "localhost") return true;
    const auto address = IpAddress::parse(host);
    return address && any_contains(loopback_networks(), *address);
}

bool all_local(std::string_view list) {
    for (;;) {
        const auto comma = list.find(',');
        if (!local_host(trim(list.substr(0, comma)))) return false;
        if (comma == std::string_view::npos) return true;
        list.remove_prefix(comma + 1);
    }
}

}  // namespace

bool database_hosts_are_local(std::string_view host, std::string_view hostaddr) {
    // hostaddr, when given, is where libpq connects; host is then only the name to verify.
    return all_local(host) && (hostaddr.empty() || all_local(hostaddr));
}

Result<PostgresConnectionOptions> postgres_connection_options(const PostgresSettings& settings,
                                                              std::string_view environment_sslmode) {
    auto parsed = parse_conninfo(settings.url);
    if (!parsed) return parsed.error();
    PostgresConnectionOptions options = {
        {"connect_timeout", std::to_string(std::max<long>(settings.connect_timeout.count(), 1))},
        {"application_name", "calendly-realtime"},
        {"options", "-c statement_timeout=" + std::to_string(settings.statement_timeout.count())},
        {"tcp_user_timeout", std::to_string(settings.tcp_user_timeout.count())},
        {"keepalives", "1"},
        {"keepalives_idle", "5"},
        {"keepalives_interval", "2"},
        {"keepalives_count", "3"},
        {"client_encoding", "UTF8"},
    };
    const bool sslmode_chosen = !conninfo_value(*parsed, "sslmode").empty() || !environment_sslmode.empty();
    if (!sslmode_chosen &&
        !database_hosts_are_local(conninfo_value(*parsed, "host"), conninfo_value(*parsed, "hostaddr"))) {
        // libpq docs, "SSL Support": only verify-full checks both the CA chain and that the
        // server's certificate names the host connected to.
        options.emplace_back("sslmode", "verify-full");
    }
    options.emplace_back("dbname", settings.url.reveal());
    return options;
}

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
    const char* const environment_sslmode = std::getenv("PGSSLMODE");
    auto options = postgres_connection_options(settings, environment_sslmode ? environment_sslmode : "");
    if (!options) return options.error();
    std::vector<const char*> keywords;
    std::vector<const char*> values;
    for (const auto& [keyword, value] : *options) {
        keywords.push_back(keyword.c_str());
        values.push_back(value.c_str());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    std::unique_ptr<pg_conn, Finish> native(PQconnectdbParams(keywords.data(), values.data(), 1));
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
