#include "calrt/server/http_server.hpp"

#include "calrt/core/logging.hpp"
#include "calrt/server/client_address.hpp"
#include "calrt/server/responses.hpp"
#include "http_session.hpp"
#include "calrt/net/lingering_tcp_stream.hpp"
#include "server_state.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <stdexcept>
#include <vector>
#include "calrt/net/as_result.hpp"

namespace calrt::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

using net::as_result;


// A refusal on accept is short (review item N8): past its caps a client can open connections as
// fast as it likes, so each refusal holds its descriptor for at most this long.
constexpr std::chrono::milliseconds kRefusalWriteTime{200};
// Then a lingering close this short and small: enough for a client that sent its request at once
// (the refusal is then not lost to a reset), nothing for one that keeps sending.
constexpr net::LingerLimits kRefusalLinger{std::chrono::milliseconds(300), 4 * 1024};

// A connection refused on accept: a short, complete answer instead of a silent reset. The client
// may already have sent its request, so the answer is followed by a lingering close (unread input
// at close time would make the kernel reset the connection, and the reset can overtake the answer).
// The deadline is the stream's own, so no timer handler can outlive the socket (review item L8).
// `ticket` counts it among the refusals in flight until it is closed (and keeps the server state
// that counts them).
asio::awaitable<void> refuse_connection(tcp::socket socket, std::string response,
                                        [[maybe_unused]] RefusalsInFlight::Ticket ticket) {
    net::LingeringTcpStream stream(beast::tcp_stream(std::move(socket)), kRefusalLinger);
    stream.expires_after(kRefusalWriteTime);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(response), as_result);
    if (ec) {
        stream.close();
        co_return;
    }
    co_await net::async_teardown(beast::role_type::server, stream, as_result);
}

// Past the bound of refusals in flight: closed with a reset at once (SO_LINGER 0), which frees the
// descriptor and the kernel's connection state without a TIME_WAIT.
void reset_connection(tcp::socket& socket) {
    boost::system::error_code ignored;
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
}

std::string refusal_response(unsigned status, std::string_view reason, std::string_view code, std::string_view message) {
    const Error error = Error::make(ErrorKind::unavailable, std::string(code), std::string(message));
    const std::string body = error_response(error).body;
    return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
           "\r\nContent-Type: application/json\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

// `response` (a prebuilt refusal) with this connection's X-Request-Id, which every answer carries.
std::string with_request_id(const std::string& response, const std::string& request_id) {
    const auto status_line_end = response.find("\r\n") + 2;
    return response.substr(0, status_line_end) + "X-Request-Id: " + request_id + "\r\n" +
           response.substr(status_line_end);
}

}  // namespace

struct HttpServer::State : ServerState {
    State(asio::io_context& io_context, const ServerConfig& c, const Router& router, MetricsRegistry& metrics)
        : ServerState(c, router, metrics),
          io(io_context),
          acceptor(asio::make_strand(io_context)),
          busy_response(refusal_response(503, "Service Unavailable", "too_many_connections",
                                         "the server is at its connection limit; retry")),
          per_address_response(refusal_response(429, "Too Many Requests", "too_many_connections",
                                                "this address holds too many open connections; close some and retry")),
          per_network_response(refusal_response(429, "Too Many Requests", "too_many_connections",
                                                "this address's network holds too many open connections; close some "
                                                "and retry")) {}

    asio::io_context& io;
    std::vector<asio::io_context*> connection_contexts;  // set before start(); empty: io
    std::size_t next_context = 0;                        // used by the accept loop only
    tcp::acceptor acceptor;
    std::uint16_t bound_port = 0;
    std::vector<std::function<void()>> shutdown_hooks;  // set while wiring, before start()
    const std::string busy_response;
    const std::string per_address_response;
    const std::string per_network_response;

    // Counts the refusal under `reason`, then answers it with `response` and closes, or resets the
    // connection at once when kMaxRefusalsInFlight are being answered already.
    void refuse(const std::shared_ptr<State>& self, tcp::socket socket, const std::string& response,
                Counter& reason) {
        reason.inc();
        auto ticket = refusals_in_flight.try_enter(self);
        if (!ticket) {
            reset_connection(socket);
            return;
        }
        auto executor = socket.get_executor();
        asio::co_spawn(executor,
                       refuse_connection(std::move(socket), with_request_id(response, pipeline.request_id({})),
                                         std::move(*ticket)),
                       asio::detached);
    }
};

namespace {

asio::awaitable<void> accept_loop(std::shared_ptr<HttpServer::State> state);

}  // namespace

HttpServer::HttpServer(asio::io_context& io, const ServerConfig& config, const Router& router,
                       MetricsRegistry& metrics)
    : state_(std::make_shared<State>(io, config, router, metrics)) {}

HttpServer::~HttpServer() {
    asio::post(state_->acceptor.get_executor(), [state = state_] {
        boost::system::error_code ec;
        state->acceptor.close(ec);
    });
}

void HttpServer::on_upgrade(std::string path, UpgradeHandler handler) {
    state_->upgrade_routes.emplace(std::move(path), std::move(handler));
}

void HttpServer::spread_connections(std::vector<asio::io_context*> contexts) {
    state_->connection_contexts = std::move(contexts);
}

void HttpServer::on_shutdown(std::function<void()> hook) {
    state_->shutdown_hooks.push_back(std::move(hook));
}

void HttpServer::start() {
    const auto& config = state_->config;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(config.host, ec);
    if (ec) throw std::runtime_error("HOST " + config.host + " is not an IP address: " + ec.message());
    const tcp::endpoint endpoint(address, config.port);
    auto& acceptor = state_->acceptor;
    const std::string where = config.host + ":" + std::to_string(config.port);
    if (acceptor.open(endpoint.protocol(), ec); ec) throw std::runtime_error("cannot open " + where + ": " + ec.message());
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (acceptor.bind(endpoint, ec); ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
        throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    }
    state_->bound_port = acceptor.local_endpoint().port();
    asio::co_spawn(acceptor.get_executor(), accept_loop(state_), asio::detached);
}

std::uint16_t HttpServer::port() const { return state_->bound_port; }

std::size_t HttpServer::open_connections() const { return state_->open_connections.load(); }

std::size_t HttpServer::buffered_body_bytes() const { return state_->body_budget.in_use(); }

void HttpServer::shutdown(std::chrono::milliseconds grace, std::function<void()> done) {
    state_->draining = true;
    asio::post(state_->acceptor.get_executor(), [state = state_] {
        boost::system::error_code ec;
        state->acceptor.close(ec);
    });
    for (auto& session : state_->live_sessions()) session->drain();
    for (auto& hook : state_->shutdown_hooks) hook();

    auto wait = [](std::shared_ptr<State> state, std::chrono::milliseconds grace_period,
                   std::function<void()> on_done) -> asio::awaitable<void> {
        asio::steady_timer timer(state->io);
        const auto deadline = std::chrono::steady_clock::now() + grace_period;
        // Polling is fine here: it runs once, at exit, at a 10 ms cadence.
        while (state->open_connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
            timer.expires_after(std::chrono::milliseconds(10));
            co_await timer.async_wait(as_result);
        }
        if (const auto left = state->open_connections.load(); left > 0) {
            log::warn("shutdown grace period over; closing connections", {{"open", left}});
            for (auto& session : state->live_sessions()) session->force_close();
            const auto hard_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
            while (state->open_connections.load() > 0 && std::chrono::steady_clock::now() < hard_deadline) {
                timer.expires_after(std::chrono::milliseconds(10));
                co_await timer.async_wait(as_result);
            }
        }
        if (on_done) on_done();
    };
    asio::co_spawn(state_->io, wait(state_, grace, std::move(done)), asio::detached);
}

namespace {

asio::awaitable<void> accept_loop(std::shared_ptr<HttpServer::State> state) {
    for (;;) {
        auto& contexts = state->connection_contexts;
        asio::io_context& home =
            contexts.empty() ? state->io : *contexts[state->next_context++ % contexts.size()];
        // A context of its own is run by one thread (spread_connections), which runs its handlers
        // one at a time already: a strand there would only add a lock to every completion. The
        // shared io_context may be run by several threads, so its connections keep one.
        tcp::socket socket = contexts.empty() ? tcp::socket(asio::make_strand(home)) : tcp::socket(home);
        auto [ec] = co_await state->acceptor.async_accept(socket, as_result);
        if (!state->acceptor.is_open() || ec == asio::error::operation_aborted) break;
        if (ec) {
            // Out of descriptors and the like: back off briefly instead of spinning.
            log::warn("accept failed", {{"error", ec.message()}});
            asio::steady_timer pause(state->acceptor.get_executor(), std::chrono::milliseconds(50));
            co_await pause.async_wait(as_result);
            continue;
        }
        boost::system::error_code no_delay_ec;
        socket.set_option(tcp::no_delay(true), no_delay_ec);
        if (state->open_connections.load() >= state->config.limits.max_connections) {
            state->refuse(state, std::move(socket), state->busy_response, state->refusals_too_many);
            continue;
        }
        // Per address (by /64 for IPv6) and per network (/48, and /24 when set), so one host or one
        // network cannot hold every slot; proxies carry many clients and are trusted not to be one.
        boost::system::error_code peer_ec;
        const auto peer = socket.remote_endpoint(peer_ec);
        if (peer_ec) continue;  // already gone
        const std::string peer_address = peer.address().to_string();
        std::optional<AddressConnections::Slot> slot;
        const auto parsed_peer = IpAddress::parse(peer_address);
        if (!parsed_peer || !any_contains(state->config.trusted_proxies, *parsed_peer)) {
            auto taken = state->connections_by_address.take(peer_address);
            if (const auto* refused = std::get_if<AddressConnections::Refusal>(&taken)) {
                if (*refused == AddressConnections::Refusal::address) {
                    state->refuse(state, std::move(socket), state->per_address_response, state->refusals_per_address);
                } else {
                    state->refuse(state, std::move(socket), state->per_network_response, state->refusals_per_network);
                }
                continue;
            }
            slot = std::move(std::get<AddressConnections::Slot>(taken));
        }
        const std::size_t open_before = state->open_connections.fetch_add(1);
        // Crossing into "busy" (3/4 of the slots): connections idling on the long keep-alive limit
        // switch to the short one, so idle holders make room for new clients.
        if (open_before < state->busy_threshold() && open_before + 1 >= state->busy_threshold()) {
            for (auto& live : state->live_sessions()) live->shorten_idle();
        }
        state->pipeline.open_connections().inc();
        auto session = std::make_shared<HttpSession>(std::move(socket), peer_address, state);
        const auto id = state->add_session(session);
        asio::co_spawn(session->executor(), session->run(),
                       [state, id, session, held = std::make_shared<std::optional<AddressConnections::Slot>>(
                                                std::move(slot))](std::exception_ptr failure) {
                           if (failure) {
                               try {
                                   std::rethrow_exception(failure);
                               } catch (const std::exception& e) {
                                   log::error("connection failed", {{"what", e.what()}});
                               }
                           }
                           held->reset();
                           state->remove_session(id);
                           state->pipeline.open_connections().dec();
                           state->open_connections.fetch_sub(1);
                       });
    }
}

}  // namespace

}  // namespace calrt::server
