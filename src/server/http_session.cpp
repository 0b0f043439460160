#include "http_session.hpp"

#include "calrt/core/text.hpp"

#include "calrt/core/logging.hpp"
#include "calrt/server/client_address.hpp"
#include "calrt/server/responses.hpp"
#include "calrt/server/upgrade_connection.hpp"
#include "request_body.hpp"
#include "request_head.hpp"
#include "response_head.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include "calrt/net/as_result.hpp"

namespace calrt::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using std::chrono::steady_clock;

namespace {

using net::as_result;


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

// Whether the buffer holds a request head up to its blank line, so that parsing it needs no read.
bool holds_whole_head(const beast::flat_buffer& buffer) {
    const auto data = buffer.data();
    return std::string_view(static_cast<const char*>(data.data()), data.size()).find("\r\n\r\n") !=
           std::string_view::npos;
}

Error rejection(ErrorKind kind, std::string code, std::string message) {
    return Error::make(kind, std::move(code), std::move(message));
}

}  // namespace

HttpSession::HttpSession(asio::ip::tcp::socket socket, std::string peer_address, std::shared_ptr<ServerState> state)
    : stream_(beast::tcp_stream(std::move(socket)),
              net::LingerLimits{state->config.limits.lingering_close_timeout, state->config.limits.lingering_close_bytes}),
      state_(std::move(state)),
      executor_(stream_.get_executor()),
      peer_address_(std::move(peer_address)),
      deadline_(executor_, stream_.socket()) {
    // Responses are first written without waiting (write()); an operation that cannot finish at
    // once says so instead of blocking. Asynchronous operations are not affected.
    boost::system::error_code ignored;
    stream_.socket().non_blocking(true, ignored);
}

std::chrono::milliseconds HttpSession::keepalive_timeout() const {
    const HttpLimits& limits = state_->config.limits;
    // Under load an idle keep-alive connection holds a slot someone else could use.
    return state_->busy() ? std::min(limits.keepalive_timeout, limits.busy_keepalive_timeout) : limits.keepalive_timeout;
}

void HttpSession::drain() {
    asio::post(executor_, [self = shared_from_this()] {
        if (self->idle_ && !self->upgraded_) self->stream_.cancel();
    });
}

void HttpSession::shorten_idle() {
    asio::post(executor_, [self = shared_from_this()] {
        if (self->idle_ && !self->upgraded_ && !self->shorten_requested_) {
            self->shorten_requested_ = true;
            self->stream_.cancel();  // the idle wait starts again with the busy limit
        }
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
    // `response` lives in this frame until the write is done, so its body (or the shared rendering
    // it holds) is sent from where it is, not copied.
    const std::string_view body = response.body_text();
    head_.clear();
    append_response_head(head_, response, request.request_id, version, keep_alive, body.size());
    const std::string_view payload = request.method != "HEAD" && status_has_body(response.status) ? body : "";
    // One send, now: a response that fits the socket's buffer (nearly all of them) is written
    // without suspending, timing or queueing anything. What does not fit waits under the write
    // timeout.
    boost::system::error_code ec;
    const std::size_t sent = stream_.socket().write_some(
        std::array<asio::const_buffer, 2>{asio::buffer(head_), asio::buffer(payload)}, ec);
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
        ok = false;
        co_return body.size();
    }
    if (sent == head_.size() + payload.size()) {
        ok = true;
        co_return body.size();
    }
    const std::size_t head_sent = std::min(sent, head_.size());
    const std::array<asio::const_buffer, 2> rest{asio::buffer(std::string_view(head_).substr(head_sent)),
                                                 asio::buffer(payload.substr(sent - head_sent))};
    deadline_.expires_after(state_->config.limits.write_timeout);
    auto [write_ec, written] = co_await asio::async_write(stream_.socket(), rest, as_result);
    deadline_.expires_never();
    ok = !write_ec;
    co_return body.size();
}

asio::awaitable<void> HttpSession::reject(Request& request, const Error& error, unsigned version,
                                          std::string_view route_label, steady_clock::time_point started) {
    bool ok = false;
    const unsigned status = http_status_of(error.kind);
    const std::size_t bytes = co_await write(request, error_response(error), version, false, ok);
    state_->pipeline.record(request, route_label, status, bytes,
                            std::chrono::duration_cast<std::chrono::microseconds>(steady_clock::now() - started),
                            metrics_memo_);
    // The client may still be sending (the body we refused, a pipelined request): close without
    // letting a reset overtake the answer.
    if (ok) co_await close_lingering();
}

Error HttpSession::body_refusal(BodyReadOutcome outcome, const Error& too_large) {
    if (outcome == BodyReadOutcome::too_large) return too_large;
    if (outcome == BodyReadOutcome::address_share_full) {
        state_->body_share_refusals.inc();
        Error crowded = rejection(ErrorKind::rate_limited, "too_many_request_bodies",
                                  "this address is sending too many request bodies at once; finish or close some "
                                  "and retry");
        crowded.retry_after = std::chrono::seconds(1);
        return crowded;
    }
    state_->body_budget_refusals.inc();
    Error busy = rejection(ErrorKind::unavailable, "server_busy",
                           "the server is reading too many request bodies at once; retry shortly");
    busy.retry_after = std::chrono::seconds(1);
    return busy;
}

asio::awaitable<void> HttpSession::close_lingering() {
    co_await net::async_teardown(beast::role_type::server, stream_, as_result);
}

asio::awaitable<void> HttpSession::run() {
    // However the connection ends, its deadline lets go of the socket here, on the connection's
    // executor: the session itself may be destroyed on another thread.
    struct StopDeadline {
        ConnectionDeadline& deadline;
        ~StopDeadline() { deadline.stop(); }
    } stop_deadline{deadline_};
    const HttpLimits& limits = state_->config.limits;
    beast::flat_buffer buffer;
    bool first_request = true;
    for (;;) {
        // Between requests: wait for the next request's first byte under the idle timeout, so that the
        // header timeout below measures only how long the head itself takes (slow loris).
        if (buffer.size() == 0) {
            if (state_->draining) break;
            bool read = false;
            for (bool shortened = false; !read;) {
                idle_ = true;
                const auto idle_limit = first_request ? limits.header_timeout : keepalive_timeout();
                deadline_.expires_after(shortened ? std::min(idle_limit, limits.busy_keepalive_timeout) : idle_limit);
                auto [ec, n] = co_await stream_.socket().async_read_some(buffer.prepare(2048), as_result);
                idle_ = false;
                if (ec == asio::error::operation_aborted && shorten_requested_ && !deadline_.expired() &&
                    !state_->draining) {
                    shorten_requested_ = false;
                    shortened = true;
                    continue;
                }
                if (ec) break;
                buffer.commit(n);
                read = true;
            }
            if (!read) break;
        }
        first_request = false;
        const auto started = steady_clock::now();

        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
        // The body limit depends on the route, which is known only once the head is read.
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        // A head already whole in the buffer (nearly always: it came in one segment) is parsed now;
        // one still arriving is read under the header timeout.
        boost::system::error_code head_ec;
        bool head_read = false;
        if (holds_whole_head(buffer)) {
            http::read_header(stream_.socket(), buffer, parser, head_ec);
            head_read = head_ec != asio::error::would_block && head_ec != asio::error::try_again;
        }
        if (!head_read) {
            deadline_.expires_after(limits.header_timeout);
            auto [read_ec, head_bytes] = co_await http::async_read_header(stream_.socket(), buffer, parser, as_result);
            head_ec = read_ec;
        }
        deadline_.expires_never();

        if (head_ec) {
            Request unparsed;
            unparsed.remote_address = peer_address_;
            unparsed.request_id = state_->pipeline.request_id({});
            if (head_ec == http::error::header_limit) {
                co_await reject(unparsed,
                                rejection(ErrorKind::header_too_large, "header_too_large",
                                          "the request head exceeds " + std::to_string(limits.max_header_bytes) +
                                              " bytes"),
                                11, "rejected", started);
                co_return;
            }
            if (head_ec.category() == make_error_code(http::error::bad_target).category() &&
                head_ec != http::error::end_of_stream && head_ec != http::error::partial_message) {
                co_await reject(unparsed,
                                rejection(ErrorKind::invalid_argument, "bad_request",
                                          "malformed HTTP request: " + head_ec.message()),
                                11, "rejected", started);
                co_return;
            }
            break;  // timeouts and resets just close
        }

        auto& head = parser.get();
        const unsigned version = head.version();
        auto parsed = request_from_head(head, peer_address_, state_->config.trusted_proxies);
        if (!parsed) {
            Request unparsed;
            unparsed.remote_address = peer_address_;
            unparsed.request_id = state_->pipeline.request_id(head["X-Request-Id"]);
            // A method this server does not know is recorded under one fixed label (review item H1).
            if (parsed.error().kind == ErrorKind::not_implemented) unparsed.method = "OTHER";
            co_await reject(unparsed, parsed.error(), version, "rejected", started);
            co_return;
        }
        Request request = std::move(*parsed);
        request.request_id = state_->pipeline.request_id(request.header("X-Request-Id"));

        if (header_has_token(request.header("Connection"), "upgrade")) {
            auto upgrade = state_->upgrade_routes.find(request.path);
            if (upgrade != state_->upgrade_routes.end() && parser.is_header_done() && parser.is_done()) {
                upgraded_ = true;
                stream_.expires_never();
                boost::system::error_code ignored;
                stream_.socket().non_blocking(false, ignored);  // as the WebSocket code expects it
                auto connection = std::make_unique<UpgradeConnection>(UpgradeConnection{
                    std::move(static_cast<beast::tcp_stream&>(stream_)), std::move(buffer), parser.release(), request.request_id,
                    request.remote_address});
                co_await upgrade->second(std::move(connection));
                co_return;
            }
        }

        const RouteMatch match = state_->pipeline.route(request.method, request.path);
        const std::string_view route_label = match.metric_label();
        request.path_params = match.path_params;

        BodyBudget::Reservation body_reservation;
        bool client_keep_alive = head.keep_alive();
        if (!parser.is_done()) {
            static const RouteOptions kUnrouted{{}, {}};  // a miss is answered without its body: any type
            const RouteOptions& options = match.outcome == RouteMatch::Outcome::found ? match.route->options : kUnrouted;
            if (!media_type_allowed(request.header("Content-Type"), options.body_media_types)) {
                co_await reject(request,
                                rejection(ErrorKind::unsupported_media_type, "unsupported_media_type",
                                          "Content-Type must be " + options.body_media_types.front() + ", got '" +
                                              std::string(request.header("Content-Type")) + "'"),
                                version, route_label, started);
                co_return;
            }
            const std::size_t limit = options.body_limit.value_or(limits.max_body_bytes);
            const auto too_large = rejection(ErrorKind::payload_too_large, "payload_too_large",
                                             "the request body exceeds " + std::to_string(limit) + " bytes");
            // Refuse on the declared length before reading anything: an oversized body is never buffered.
            const auto length = parser.content_length();
            if (length && *length > limit) {
                co_await reject(request, too_large, version, route_label, started);
                co_return;
            }
            if (options.check_head) {
                if (auto head_ok = options.check_head(request); !head_ok) {
                    co_await reject(request, head_ok.error(), version, route_label, started);
                    co_return;
                }
            }
            // Charged to the client address (as rate limits see it: behind TRUSTED_PROXIES, the
            // forwarded client), so one address cannot hold every other client's share.
            body_reservation = state_->body_budget.open(address_bucket(request.remote_address));
            const BodyReadLimits body_limits{limit, limits.body_timeout, limits.write_timeout,
                                             iequals(request.header("Expect"), "100-continue")};
            BodyRead body = co_await read_request_body(stream_, buffer, parser, body_limits, body_reservation);
            if (body.outcome == BodyReadOutcome::connection_lost) break;  // timeouts and resets just close
            if (body.outcome != BodyReadOutcome::complete) {
                body_reservation = {};  // not held through the lingering close
                co_await reject(request, body_refusal(body.outcome, too_large), version, route_label, started);
                co_return;
            }
            request.body = std::move(body.body);
            client_keep_alive = body.keep_alive;
        }

        Response response = co_await state_->pipeline.dispatch(request, match);
        body_reservation = {};
        const unsigned status = response.status;
        const bool keep_alive = client_keep_alive && !response.close_connection && !state_->draining;
        bool written = false;
        const std::size_t bytes = co_await write(request, std::move(response), version, keep_alive, written);
        state_->pipeline.record(request, route_label, status, bytes,
                                std::chrono::duration_cast<std::chrono::microseconds>(steady_clock::now() - started),
                                metrics_memo_);
        if (!written) break;
        if (!keep_alive) {
            // Pipelined requests after this one will not be answered: let them not reset the answer.
            if (buffer.size() > 0) {
                co_await close_lingering();
                co_return;
            }
            break;
        }
    }
    boost::system::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    stream_.close();
}

}  // namespace calrt::server
