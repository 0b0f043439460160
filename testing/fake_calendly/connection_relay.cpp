#include "testing/fake_calendly/connection_relay.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <deque>
#include <stdexcept>

namespace calrt::testing::fake {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto as_result = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kMaxHeadBytes = 64 * 1024;
constexpr std::uint64_t kMaxBodyBytes = 64 * 1024 * 1024;

// Both directions of one client connection. Everything runs on one strand. There are no timeouts
// here: the client and the server have their own, and each side's close is passed on to the other.
struct RelayedConnection {
    explicit RelayedConnection(tcp::socket client_socket)
        : client(std::move(client_socket)), server(client.get_executor()) {}

    beast::tcp_stream client;
    beast::tcp_stream server;
    std::deque<http::verb> methods;  // of the requests passed on and not yet answered

    void close_both() {
        boost::system::error_code ignored;
        client.socket().shutdown(tcp::socket::shutdown_both, ignored);
        client.close();
        server.close();
    }
};

asio::awaitable<void> pass_requests(std::shared_ptr<RelayedConnection> connection) {
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(kMaxHeadBytes);
        parser.body_limit(kMaxBodyBytes);
        auto [read_ec, read] =
            co_await http::async_read(connection->client, buffer, parser, as_result);
        if (read_ec) break;
        auto request = parser.release();
        connection->methods.push_back(request.method());
        auto [write_ec, written] =
            co_await http::async_write(connection->server, request, as_result);
        if (write_ec) break;
    }
    // The client is done or gone: the server sees the end too, and closes its side.
    boost::system::error_code ignored;
    connection->server.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> pass_responses(std::shared_ptr<RelayedConnection> connection) {
    beast::flat_buffer buffer;
    for (;;) {
        // The server answers only what it was sent, so once it has sent something the request it
        // answers is in `methods`; a response to HEAD has no body whatever it says.
        if (buffer.size() == 0) {
            auto [wait_ec] =
                co_await connection->server.socket().async_wait(tcp::socket::wait_read, as_result);
            if (wait_ec) break;
        }
        http::response_parser<http::string_body> parser;
        parser.header_limit(kMaxHeadBytes);
        parser.body_limit(kMaxBodyBytes);
        parser.skip(!connection->methods.empty() &&
                    connection->methods.front() == http::verb::head);
        auto [read_ec, read] =
            co_await http::async_read(connection->server, buffer, parser, as_result);
        if (read_ec) break;
        auto response = parser.release();
        const bool interim = response.result_int() >= 100 && response.result_int() < 200;
        if (!interim && !connection->methods.empty()) connection->methods.pop_front();
        if (response.find(kDropConnectionHeader) != response.end()) {
            connection->close_both();
            co_return;
        }
        auto [write_ec, written] =
            co_await http::async_write(connection->client, response, as_result);
        if (write_ec) break;
    }
    connection->close_both();
}

asio::awaitable<void> relay(tcp::socket client, std::uint16_t server_port) {
    auto connection = std::make_shared<RelayedConnection>(std::move(client));
    const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), server_port);
    auto [connect_ec] = co_await connection->server.socket().async_connect(server, as_result);
    if (connect_ec) {
        connection->close_both();
        co_return;
    }
    auto strand = connection->client.get_executor();
    asio::co_spawn(strand, pass_requests(connection), asio::detached);
    asio::co_spawn(strand, pass_responses(connection), asio::detached);
}

}  // namespace

struct ConnectionRelay::State {
    State(asio::io_context& io_context, std::uint16_t port)
        : io(io_context), acceptor(asio::make_strand(io_context)), server_port(port) {}

    asio::io_context& io;
    tcp::acceptor acceptor;
    const std::uint16_t server_port;
    std::uint16_t bound_port = 0;
};

namespace {

asio::awaitable<void> accept_loop(std::shared_ptr<ConnectionRelay::State> state) {
    for (;;) {
        tcp::socket socket(asio::make_strand(state->io));
        auto [ec] = co_await state->acceptor.async_accept(socket, as_result);
        if (!state->acceptor.is_open() || ec == asio::error::operation_aborted) break;
        if (ec) continue;
        boost::system::error_code no_delay_ec;
        socket.set_option(tcp::no_delay(true), no_delay_ec);
        auto executor = socket.get_executor();
        asio::co_spawn(executor, relay(std::move(socket), state->server_port), asio::detached);
    }
}

}  // namespace

ConnectionRelay::ConnectionRelay(asio::io_context& io, std::uint16_t server_port)
    : state_(std::make_shared<State>(io, server_port)) {}

ConnectionRelay::~ConnectionRelay() {
    asio::post(state_->acceptor.get_executor(), [state = state_] {
        boost::system::error_code ec;
        state->acceptor.close(ec);
    });
}

void ConnectionRelay::start() {
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    boost::system::error_code ec;
    auto& acceptor = state_->acceptor;
    if (acceptor.open(endpoint.protocol(), ec); !ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("fake Calendly relay cannot listen: " + ec.message());
    state_->bound_port = acceptor.local_endpoint().port();
    asio::co_spawn(acceptor.get_executor(), accept_loop(state_), asio::detached);
}

std::uint16_t ConnectionRelay::port() const { return state_->bound_port; }

}  // namespace calrt::testing::fake
