#include "calrt/net/http_client.hpp"

#include "calrt/core/logging.hpp"
#include "calrt/net/stop_registry.hpp"
#include "calrt/net/tls.hpp"
#include "connection_pool.hpp"
#include "http_connection.hpp"
#include "http_target.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <cctype>

namespace calrt::net {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using std::chrono::steady_clock;

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
        return std::tolower(x) == std::tolower(y);
    });
}

// RFC 9110 section 5.6.2: method and field names are tokens.
bool is_token(std::string_view text) {
    constexpr std::string_view kTokenPunctuation = "!#$%&'*+-.^_`|~";
    return !text.empty() && std::all_of(text.begin(), text.end(), [&](unsigned char c) {
        return std::isalnum(c) ||
               kTokenPunctuation.find(static_cast<char>(c)) != std::string_view::npos;
    });
}

// CR, LF or NUL in a field value would let it end the header early (request smuggling).
bool is_safe_field_value(std::string_view value) {
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// RFC 9110 section 9.2.2.
bool idempotent_method(std::string_view method) {
    for (std::string_view idempotent : {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"}) {
        if (method == idempotent) return true;
    }
    return false;
}

Error invalid_request(std::string message) {
    return Error::make(ErrorKind::internal, "invalid_request", std::move(message));
}

Result<RequestMessage> to_message(HttpRequest& request, const HttpTarget& target,
                                  const std::string& user_agent) {
    RequestMessage message;
    message.version(11);
    if (const auto verb = http::string_to_verb(request.method); verb != http::verb::unknown) {
        message.method(verb);
    } else if (is_token(request.method)) {
        message.method_string(request.method);
    } else {
        return invalid_request("cannot send the request: '" + request.method +
                               "' is not an HTTP method");
    }
    message.target(target.target);
    for (const auto& [name, value] : request.headers) {
        // The value is never quoted back: headers carry Bearer tokens.
        if (!is_token(name) || !is_safe_field_value(value)) {
            return invalid_request("cannot send the request: header '" + name +
                                   "' has an invalid name or a CR, LF or NUL in its value");
        }
        message.insert(name, value);
    }
    message.set(http::field::host, target.host_header);
    if (message.find(http::field::user_agent) == message.end()) {
        message.set(http::field::user_agent, user_agent);
    }
    message.body() = std::move(request.body);
    message.prepare_payload();  // Content-Length, also 0 for a POST or PUT without a body
    return message;
}

}  // namespace

std::string_view HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) return value;
    }
    return {};
}

struct HttpClient::Impl {
    Impl(asio::any_io_executor io_executor, HttpClientOptions client_options)
        : executor(std::move(io_executor)),
          options(std::move(client_options)),
          tls_context(make_client_tls_context(options.extra_ca_file)),
          pool(options.max_idle_connections_per_host, options.idle_connection_ttl) {}

    asio::awaitable<Result<HttpResponse>> send(HttpRequest request);

    // Runs on the connection's strand; a connection still good for another request goes back to
    // the pool from here.
    asio::awaitable<ExchangeOutcome> exchange(std::unique_ptr<HttpConnection> connection,
                                              const std::string& origin,
                                              const RequestMessage& message,
                                              steady_clock::time_point deadline);
    // Runs on a new strand, which the new connection keeps for its whole life.
    asio::awaitable<ExchangeOutcome> connect_and_exchange(
        const HttpTarget& target, const RequestMessage& message, std::chrono::milliseconds timeout,
        std::optional<steady_clock::time_point> deadline);

    asio::any_io_executor executor;
    HttpClientOptions options;
    std::shared_ptr<asio::ssl::context> tls_context;
    ConnectionPool pool;
    std::shared_ptr<StopRegistry> stops = std::make_shared<StopRegistry>();  // abort()
};

namespace {

Error aborted() {
    return Error::make(ErrorKind::unavailable, "aborted", "the request was cut off: the service is shutting down");
}

}  // namespace

asio::awaitable<ExchangeOutcome> HttpClient::Impl::exchange(
    std::unique_ptr<HttpConnection> connection, const std::string& origin,
    const RequestMessage& message, steady_clock::time_point deadline) {
    ExchangeOutcome outcome;
    {
        const auto ticket = StopRegistry::enroll(stops, connection->executor(), [c = connection.get()] { c->abort(); });
        outcome = co_await connection->exchange(message, deadline, options.max_response_bytes);
    }
    if (!outcome.response && stops->stopped()) co_return ExchangeOutcome{aborted(), false, outcome.request_written};
    if (outcome.response && connection->reusable() && !stops->stopped()) pool.give_back(origin, std::move(connection));
    co_return outcome;
}

asio::awaitable<ExchangeOutcome> HttpClient::Impl::connect_and_exchange(
    const HttpTarget& target, const RequestMessage& message, std::chrono::milliseconds timeout,
    std::optional<steady_clock::time_point> deadline) {
    auto connection =
        co_await HttpConnection::open(target, options, target.tls ? tls_context.get() : nullptr);
    if (!connection) co_return ExchangeOutcome{connection.error(), false};
    // The request timeout counts from the first write, not from the connect (which has its own).
    co_return co_await exchange(std::move(*connection), target.origin(), message,
                                deadline.value_or(steady_clock::now() + timeout));
}

asio::awaitable<Result<HttpResponse>> HttpClient::Impl::send(HttpRequest request) {
    if (stops->stopped()) co_return aborted();
    auto target = parse_http_url(request.url);
    if (!target) co_return target.error();
    auto message = to_message(request, *target, options.user_agent);
    if (!message) co_return message.error();
    const auto timeout = request.timeout.value_or(options.request_timeout);
    const std::string origin = target->origin();
    const bool idempotent = request.idempotent.value_or(idempotent_method(request.method));

    std::optional<steady_clock::time_point> deadline;
    if (auto pooled = pool.take(origin)) {
        deadline = steady_clock::now() + timeout;
        auto strand = pooled->executor();
        auto outcome = co_await asio::co_spawn(
            strand, exchange(std::move(pooled), origin, *message, *deadline), asio::use_awaitable);
        if (!outcome.stale_connection || stops->stopped()) co_return std::move(outcome.response);
        // A server (or a proxy in front of it) may close the connection after processing the
        // request without answering, e.g. when it restarts: sending a POST /invitees again would
        // book twice.
        if (outcome.request_written && !idempotent) {
            log::debug("pooled connection broke after a non-idempotent request was written; not sending it again",
                       {{"origin", origin}, {"error", outcome.response.error().message}});
            co_return std::move(outcome.response);
        }
        log::debug("pooled connection was closed by the server; sending again on a fresh one",
                   {{"origin", origin}, {"error", outcome.response.error().message}});
    }
    auto outcome = co_await asio::co_spawn(
        asio::make_strand(executor), connect_and_exchange(*target, *message, timeout, deadline),
        asio::use_awaitable);
    co_return std::move(outcome.response);
}

HttpClient::HttpClient(asio::any_io_executor executor, HttpClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {}

HttpClient::~HttpClient() = default;

asio::awaitable<Result<HttpResponse>> HttpClient::send(HttpRequest request) {
    // The client may be destroyed while a request is in flight; the request keeps what it uses.
    auto impl = impl_;
    co_return co_await impl->send(std::move(request));
}

const HttpClientOptions& HttpClient::options() const { return impl_->options; }

void HttpClient::abort() { impl_->stops->stop(); }

}  // namespace calrt::net
