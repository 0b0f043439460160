#include "calrt/net/websocket_accept.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/beast/http/field.hpp>

#include "calrt/net/lingering_tcp_stream.hpp"
#include "websocket_stream.hpp"

namespace calrt::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

using Request = beast::http::request<beast::http::string_body>;

using ServerWebSocket = StreamWebSocket<LingeringTcpStream>;

asio::awaitable<Result<WebSocket>> accept_on_strand(std::shared_ptr<ServerWebSocket> core,
                                                    Request request) {
    auto& ws = core->stream();
    beast::get_lowest_layer(ws).expires_never();  // the websocket stream keeps its own deadlines
    auto timeout = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeout.handshake_timeout = core->options().connect_timeout;
    timeout.idle_timeout = websocket::stream_base::none();
    ws.set_option(timeout);
    ws.set_option(websocket::stream_base::decorator(
        [extra = core->options().handshake_response_headers](websocket::response_type& response) {
            response.set(beast::http::field::server, "calendly-realtime");
            for (const auto& [name, value] : extra) response.set(name, value);
        }));
    auto [ec] = co_await ws.async_accept(request, asio::as_tuple(asio::use_awaitable));
    if (ec) {
        co_return Error::make(ErrorKind::invalid_argument, "handshake_failed",
                              "the WebSocket upgrade could not be completed: " + ec.message());
    }
    core->use_open_connection_timeouts();
    co_return WebSocket(core);
}

}  // namespace

asio::awaitable<Result<WebSocket>> accept_websocket(beast::tcp_stream stream, Request request,
                                                    WebSocketOptions options) {
    auto strand = stream.get_executor();
    const LingerLimits linger{options.linger_timeout, options.linger_max_bytes};
    auto core = std::make_shared<ServerWebSocket>(strand, std::move(options), nullptr,
                                                  std::move(stream), linger);
    co_return co_await asio::co_spawn(strand, accept_on_strand(std::move(core), std::move(request)),
                                      asio::use_awaitable);
}

}  // namespace calrt::net
