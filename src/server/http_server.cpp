#include "calrt/server/http_server.hpp"

#include "calrt/core/logging.hpp"
#include "http_session.hpp"
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

namespace calrt::server {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// Over the connection limit: a short, complete answer instead of a silent reset.
asio::awaitable<void> refuse_busy(tcp::socket socket) {
    static constexpr std::string_view kBusy =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
        "Retry-After: 1\r\nContent-Length: 98\r\n\r\n"
        R"({"error":{"code":"too_many_connections","message":"the server is at its connection limit; retry"}})";
    asio::steady_timer deadline(socket.get_executor(), std::chrono::seconds(1));
    deadline.async_wait([&socket](boost::system::error_code ec) {
        if (!ec) socket.close();
    });
    co_await asio::async_write(socket, asio::buffer(kBusy.data(), kBusy.size()), as_result);
    deadline.cancel();
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
}

}  // namespace

struct HttpServer::State : ServerState {
    State(asio::io_context& io_context, const ServerConfig& c, const Router& router, MetricsRegistry& metrics)
        : ServerState(c, router, metrics), io(io_context), acceptor(asio::make_strand(io_context)) {}

    asio::io_context& io;
    tcp::acceptor acceptor;
    std::uint16_t bound_port = 0;
    std::vector<std::function<void()>> shutdown_hooks;  // set while wiring, before start()
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
        tcp::socket socket(asio::make_strand(state->io));
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
            auto executor = socket.get_executor();
            asio::co_spawn(executor, refuse_busy(std::move(socket)), asio::detached);
            continue;
        }
        state->open_connections.fetch_add(1);
        state->pipeline.open_connections().inc();
        auto session = std::make_shared<HttpSession>(std::move(socket), state);
        const auto id = state->add_session(session);
        asio::co_spawn(session->executor(), session->run(),
                       [state, id, session](std::exception_ptr failure) {
                           if (failure) {
                               try {
                                   std::rethrow_exception(failure);
                               } catch (const std::exception& e) {
                                   log::error("connection failed", {{"what", e.what()}});
                               }
                           }
                           state->remove_session(id);
                           state->pipeline.open_connections().dec();
                           state->open_connections.fetch_sub(1);
                       });
    }
}

}  // namespace

}  // namespace calrt::server
