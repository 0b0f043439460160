#include "http_session.hpp"

#include "calrt/core/text.hpp"

#include "calrt/core/logging.hpp"
#include "calrt/server/responses.hpp"
#include "calrt/server/upgrade_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

#include <limits>

namespace calrt::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using std::chrono::steady_clock;

namespace {

constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

bool media_type_allowed(std::string_view content_type, const std::vector<std::string>& allowed) {
    if (allowed.empty()) return true;
    const std::string_view media_type = trim(content_type.substr(0, content_type.find(';')));
    for (const auto& a : allowed) {
        if (iequals(media_type, a)) return true;
    }
    return false;
}

bool header_has_token(std::string_view value, std::string_view token) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        if (iequals(trim(value.substr(0, comma)), token)) return true;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

// Fills path and query from the request-target; false when it is not an origin-form target.
bool parse_target(Request& request) {
    auto parsed = boost::urls::parse_origin_form(request.target);
    if (!parsed) return false;
    request.path = parsed->path();
    for (auto param : parsed->params()) request.query.emplace_back(param.key, param.value);
    return true;
}

Error rejection(ErrorKind kind, std::string code, std::string message) {
    return Error::make(kind, std::move(code), std::move(message));
}

}  // namespace

HttpSession::HttpSession(asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)), state_(std::move(state)), executor_(stream_.get_executor()) {
    boost::system::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = endpoint.address().to_string();
}

void HttpSession::drain() {
    asio::post(executor_, [self = shared_from_this()] {
        if (self->idle_ && !self->upgraded_) self->stream_.cancel();
    });
}

void HttpSession::force_close() {
    asio::post(executor_, [self = shared_from_this()] {
        if (self->upgraded_) return;
        boost::system::error_code ec;
        self->stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
        self->stream_.close();
    });
}

asio::awaitable<std::size_t> HttpSession::write(Request& request, Response response, unsigned version,
                                                bool keep_alive, bool& ok) {
    http::response<http::string_body> out;
    out.version(version);
    out.result(response.status);
    out.set(http::field::server, "calendly-realtime");
    out.set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) out.set(name, value);
    if (!request.request_id.empty()) out.set("X-Request-Id", request.request_id);
    out.keep_alive(keep_alive);
    const std::size_t bytes = response.body.size();
    if (request.method == "HEAD") {
        out.content_length(bytes);  // what GET would send, without the body
    } else {
        out.body() = std::move(response.body);
        out.prepare_payload();
    }
    stream_.expires_after(state_->config.limits.write_timeout);
    auto [ec, written] = co_await http::async_write(stream_, out, as_result);
    ok = !ec;
    co_return bytes;
}

asio::awaitable<void> HttpSession::reject(Request& request, const Error& error, unsigned version,
                                          std::string_view route_label, steady_clock::time_point started) {
    bool ok = false;
    const unsigned status = http_status_of(error.kind);
    const std::size_t bytes = co_await write(request, error_response(error), version, false, ok);
    state_->pipeline.record(request, route_label, status, bytes,
                            std::chrono::duration_cast<std::chrono::microseconds>(steady_clock::now() - started));
}

asio::awaitable<void> HttpSession::run() {
    const HttpLimits& limits = state_->config.limits;
    beast::flat_buffer buffer;
    bool first_request = true;
    for (;;) {
        // Between requests: wait for the next request's first byte under the idle timeout, so that the
        // header timeout below measures only how long the head itself takes (slow loris).
        if (buffer.size() == 0) {
            if (state_->draining) break;
            idle_ = true;
            stream_.expires_after(first_request ? limits.header_timeout : limits.keepalive_timeout);
            auto [ec, n] = co_await stream_.async_read_some(buffer.prepare(2048), as_result);
            idle_ = false;
            if (ec) break;
            buffer.commit(n);
        }
        first_request = false;
        const auto started = steady_clock::now();

        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
        // The body limit depends on the route, which is known only once the head is read.
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        stream_.expires_after(limits.header_timeout);
        auto [head_ec, head_bytes] = co_await http::async_read_header(stream_, buffer, parser, as_result);

        Request request;
        request.remote_address = remote_address_;
        if (head_ec) {
            if (head_ec == http::error::header_limit) {
                co_await reject(request,
                                rejection(ErrorKind::header_too_large, "header_too_large",
                                          "the request head exceeds " + std::to_string(limits.max_header_bytes) +
                                              " bytes"),
                                11, "rejected", started);
            } else if (head_ec.category() == make_error_code(http::error::bad_target).category() &&
                       head_ec != http::error::end_of_stream && head_ec != http::error::partial_message) {
                co_await reject(request,
                                rejection(ErrorKind::invalid_argument, "bad_request",
                                          "malformed HTTP request: " + head_ec.message()),
                                11, "rejected", started);
            }
            break;  // timeouts and resets just close
        }

        auto& head = parser.get();
        const unsigned version = head.version();
        request.method = std::string(head.method_string());
        request.target = std::string(head.target());
        request.headers.reserve(16);
        for (const auto& field : head) {
            request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        }
        request.request_id = state_->pipeline.request_id(request.header("X-Request-Id"));
        if (!parse_target(request)) {
            co_await reject(request,
                            rejection(ErrorKind::invalid_argument, "bad_request", "malformed request target"),
                            version, "rejected", started);
            break;
        }

        if (header_has_token(request.header("Connection"), "upgrade")) {
            auto upgrade = state_->upgrade_routes.find(request.path);
            if (upgrade != state_->upgrade_routes.end() && parser.is_header_done() && parser.is_done()) {
                upgraded_ = true;
                stream_.expires_never();
                auto connection = std::make_unique<UpgradeConnection>(UpgradeConnection{
                    std::move(stream_), std::move(buffer), parser.release(), request.request_id, remote_address_});
                co_await upgrade->second(std::move(connection));
                co_return;
            }
        }

        const RouteMatch match = state_->pipeline.route(request.method, request.path);
        const std::string_view route_label = match.metric_label();
        request.path_params = match.path_params;

        if (!parser.is_done()) {
            const RouteOptions& options =
                match.outcome == RouteMatch::Outcome::found ? match.route->options : RouteOptions{{}, {}};
            if (!media_type_allowed(request.header("Content-Type"), options.body_media_types)) {
                co_await reject(request,
                                rejection(ErrorKind::unsupported_media_type, "unsupported_media_type",
                                          "Content-Type must be " + options.body_media_types.front() + ", got '" +
                                              std::string(request.header("Content-Type")) + "'"),
                                version, route_label, started);
                break;
            }
            const std::size_t limit = options.body_limit.value_or(limits.max_body_bytes);
            const auto too_large = rejection(ErrorKind::payload_too_large, "payload_too_large",
                                             "the request body exceeds " + std::to_string(limit) + " bytes");
            // Refuse on the declared length before reading anything: an oversized body is never buffered.
            if (const auto length = parser.content_length(); length && *length > limit) {
                co_await reject(request, too_large, version, route_label, started);
                break;
            }
            parser.body_limit(limit);  // enforces the limit on chunked bodies as they arrive
            if (iequals(request.header("Expect"), "100-continue")) {
                http::response<http::empty_body> go_on{http::status::continue_, version};
                stream_.expires_after(limits.write_timeout);
                auto [ec, n] = co_await http::async_write(stream_, go_on, as_result);
                if (ec) break;
            }
            stream_.expires_after(limits.body_timeout);
            auto [body_ec, body_bytes] = co_await http::async_read(stream_, buffer, parser, as_result);
            if (body_ec == http::error::body_limit) {
                co_await reject(request, too_large, version, route_label, started);
                break;
            }
            if (body_ec) break;
        }
        request.body = std::move(parser.get().body());
        const bool client_keep_alive = parser.get().keep_alive();

        Response response = co_await state_->pipeline.dispatch(request, match);
        const unsigned status = response.status;
        const bool keep_alive = client_keep_alive && !response.close_connection && !state_->draining;
        bool written = false;
        const std::size_t bytes = co_await write(request, std::move(response), version, keep_alive, written);
        state_->pipeline.record(request, route_label, status, bytes,
                                std::chrono::duration_cast<std::chrono::microseconds>(steady_clock::now() - started));
        if (!written || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    stream_.close();
}

}  // namespace calrt::server
