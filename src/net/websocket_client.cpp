#include "calrt/net/websocket_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/url/parse.hpp>
#include <stdexcept>

#include "calrt/net/lingering_tcp_stream.hpp"
#include "calrt/net/tls.hpp"
#include "outgoing_connection.hpp"
#include "spawn_on_strand.hpp"
#include "websocket_stream.hpp"
#include "calrt/net/as_result.hpp"

namespace calrt::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
// Every deadline of a connection attempt is on the steady clock.
using Deadline = std::chrono::steady_clock::time_point;

namespace {

struct Endpoint {
    bool tls = false;
    std::string host;  // for DNS and SNI (no IPv6 brackets)
    std::string port;
    std::string host_header;  // host[:port] as written in the URL
    std::string target;       // path and query
};

Error connect_error(std::string code, std::string message) {
    return Error::make(ErrorKind::upstream_failed, std::move(code), std::move(message));
}

Result<Endpoint> parse_endpoint(std::string_view url) {
    auto parsed = boost::urls::parse_uri(url);
    const auto invalid = [&](std::string why) {
        return Error::make(ErrorKind::invalid_argument, "invalid_url",
                           "WebSocket URL '" + std::string(url) + "' " + why);
    };
    if (!parsed) return invalid("is not a URL");
    Endpoint endpoint;
    if (parsed->scheme_id() == boost::urls::scheme::wss) {
        endpoint.tls = true;
    } else if (parsed->scheme_id() != boost::urls::scheme::ws) {
        return invalid("must start with ws:// or wss://");
    }
    if (parsed->host_address().empty()) return invalid("has no host");
    endpoint.host = parsed->host_address();
    endpoint.port =
        parsed->has_port() ? std::string(parsed->port()) : (endpoint.tls ? "443" : "80");
    endpoint.host_header = parsed->encoded_host_and_port();
    endpoint.target = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
    if (parsed->has_query()) endpoint.target += "?" + std::string(parsed->encoded_query());
    return endpoint;
}

std::string where_of(const Endpoint& endpoint) { return endpoint.host + ":" + endpoint.port; }

template <class NextLayer>
asio::awaitable<Result<void>> upgrade(StreamWebSocket<NextLayer>& core, const Endpoint& endpoint,
                                      const HeaderList& headers,
                                      Deadline deadline) {
    auto& ws = core.stream();
    beast::get_lowest_layer(ws).expires_never();  // the websocket stream keeps its own deadlines
    auto timeout = websocket::stream_base::timeout::suggested(beast::role_type::client);
    timeout.handshake_timeout = std::max<std::chrono::steady_clock::duration>(
        deadline - std::chrono::steady_clock::now(), std::chrono::milliseconds(1));
    timeout.idle_timeout = websocket::stream_base::none();
    ws.set_option(timeout);
    ws.set_option(websocket::stream_base::decorator(
        [user_agent = core.options().user_agent, headers](websocket::request_type& request) {
            request.set(beast::http::field::user_agent, user_agent);
            for (const auto& [name, value] : headers) request.set(name, value);
        }));
    websocket::response_type response;
    auto [ec] =
        co_await ws.async_handshake(response, endpoint.host_header, endpoint.target, as_result);
    if (ec == websocket::error::upgrade_declined) {
        co_return connect_error("handshake_rejected",
                                "the server at " + where_of(endpoint) +
                                    " answered the WebSocket upgrade with HTTP " +
                                    std::to_string(response.result_int()) + " " +
                                    std::string(response.reason()) + " instead of 101");
    }
    if (ec == beast::error::timeout) {
        co_return connect_failed("the WebSocket upgrade with " + where_of(endpoint) + " timed out",
                                 ErrorKind::upstream_timeout);
    }
    if (ec) {
        co_return connect_failed("the WebSocket upgrade with " + where_of(endpoint) +
                                 " failed: " + ec.message());
    }
    core.use_open_connection_timeouts();
    co_return Result<void>{};
}

asio::awaitable<Result<WebSocket>> connect_plain(asio::any_io_executor strand, Endpoint endpoint,
                                                 HeaderList headers, WebSocketOptions options,
                                                 Deadline deadline,
                                                 std::vector<asio::ip::tcp::endpoint> results) {
    const LingerLimits linger{options.linger_timeout, options.linger_max_bytes};
    auto core = std::make_shared<StreamWebSocket<LingeringTcpStream>>(strand, std::move(options),
                                                                      nullptr, strand, linger);
    if (auto connected = co_await connect_tcp(beast::get_lowest_layer(core->stream()), results,
                                              where_of(endpoint), deadline);
        !connected) {
        co_return connected.error();
    }
    if (auto upgraded = co_await upgrade(*core, endpoint, headers, deadline); !upgraded)
        co_return upgraded.error();
    co_return WebSocket(core);
}

asio::awaitable<Result<WebSocket>> connect_tls(asio::any_io_executor strand, Endpoint endpoint,
                                               HeaderList headers, WebSocketOptions options,
                                               Deadline deadline,
                                               std::vector<asio::ip::tcp::endpoint> results) {
    std::shared_ptr<asio::ssl::context> context;
    try {
        context = make_client_tls_context(options.extra_ca_file);
    } catch (const std::exception& e) {
        co_return Error::make(ErrorKind::not_configured, "tls_setup_failed", e.what());
    }
    using TlsStream = beast::ssl_stream<beast::tcp_stream>;
    auto core = std::make_shared<StreamWebSocket<TlsStream>>(strand, std::move(options), context,
                                                             strand, *context);
    auto& tls = core->stream().next_layer();
    if (auto connected =
            co_await connect_tcp(beast::get_lowest_layer(tls), results, where_of(endpoint), deadline);
        !connected) {
        co_return connected.error();
    }
    if (auto secured = co_await handshake_tls(tls, endpoint.host, where_of(endpoint), deadline);
        !secured) {
        co_return secured.error();
    }
    if (auto upgraded = co_await upgrade(*core, endpoint, headers, deadline); !upgraded)
        co_return upgraded.error();
    co_return WebSocket(core);
}

asio::awaitable<Result<WebSocket>> connect_on_strand(asio::any_io_executor strand,
                                                     Endpoint endpoint, HeaderList headers,
                                                     WebSocketOptions options) {
    const auto deadline = std::chrono::steady_clock::now() + options.connect_timeout;
    auto results = co_await resolve_endpoints(endpoint.host, endpoint.port, deadline);
    if (!results) co_return results.error();
    if (endpoint.tls) {
        co_return co_await connect_tls(strand, std::move(endpoint), std::move(headers),
                                       std::move(options), deadline, *results);
    }
    co_return co_await connect_plain(strand, std::move(endpoint), std::move(headers),
                                     std::move(options), deadline, *results);
}

}  // namespace

asio::awaitable<Result<WebSocket>> connect_websocket(asio::any_io_executor executor,
                                                     std::string url, HeaderList headers,
                                                     WebSocketOptions options) {
    auto endpoint = parse_endpoint(url);
    if (!endpoint) co_return endpoint.error();
    // Everything about one connection, from DNS to close, runs on its own strand.
    auto strand = asio::make_strand(executor);
    co_return co_await spawn_on_strand(
        strand,
        connect_on_strand(strand, std::move(*endpoint), std::move(headers), std::move(options)));
}

}  // namespace calrt::net
