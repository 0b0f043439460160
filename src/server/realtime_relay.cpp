#include "calrt/server/realtime_relay.hpp"

#include "relay_scope.hpp"

#include "calrt/core/ip_network.hpp"
#include "calrt/core/text.hpp"
#include "calrt/server/client_address.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>

#include <utility>

#include "calrt/core/logging.hpp"
#include "calrt/net/websocket_accept.hpp"
#include "calrt/server/relay_time_zone.hpp"
#include "calrt/server/upgrade_connection.hpp"
#include "relay_session.hpp"

namespace calrt::server {
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// The port part of a Host header ("example.com:3000" -> "3000"; none -> "").
std::string_view host_port(std::string_view host) {
    if (!host.empty() && host.front() == '[') {  // [::1]:3000
        const auto close = host.find(']');
        if (close == std::string_view::npos || close + 1 >= host.size()) return {};
        return host.substr(close + 2);
    }
    const auto colon = host.rfind(':');
    return colon == std::string_view::npos ? std::string_view{} : host.substr(colon + 1);
}

// The name part of a Host header ("example.com:3000" -> "example.com", "[::1]:3000" -> "::1").
std::string_view host_name(std::string_view host) {
    if (!host.empty() && host.front() == '[') {
        const auto close = host.find(']');
        return close == std::string_view::npos ? std::string_view{} : host.substr(1, close - 1);
    }
    return host.substr(0, host.rfind(':'));
}

struct Refusal {
    http::status status;
    std::string code;
    std::string message;
    std::chrono::seconds retry_after{0};
};

// Answers the upgrade request with `refusal` (a JSON error body as every other route has) and
// closes the connection.
asio::awaitable<void> refuse(UpgradeConnection& connection, const Refusal& refusal) {
    http::response<http::string_body> response{refusal.status, connection.request.version()};
    response.set(http::field::content_type, "application/json");
    response.set(http::field::connection, "close");
    response.set("X-Request-Id", connection.request_id);
    if (refusal.retry_after.count() > 0) {
        response.set(http::field::retry_after, std::to_string(refusal.retry_after.count()));
    }
    response.body() =
        nlohmann::json{{"error", {{"code", refusal.code}, {"message", refusal.message}}}}.dump();
    response.prepare_payload();
    connection.stream.expires_after(std::chrono::seconds(5));
    co_await http::async_write(connection.stream, response, asio::as_tuple(asio::use_awaitable));
    boost::system::error_code ignored;
    connection.stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

// The client every per-address relay limit counts against: the address the HTTP session resolved
// for the connection (the real client behind a trusted proxy; an IPv6 /64 as one client). One
// function, so that the connection rate and the open-session cap always key alike.
std::string client_key(const UpgradeConnection& connection) {
    return address_bucket(connection.remote_address);
}

// Where a session from this connection counts: its client key and, when the network tier for its
// family is on (REALTIME_MAX_SESSIONS_PER_IPV6_48, REALTIME_MAX_SESSIONS_PER_IPV4_24), its /48 or
// /24, so that the many /64s of one site (or addresses of one /24) share one looser cap.
SessionPlace session_place(const RelayShared& shared, const UpgradeConnection& connection) {
    SessionPlace place{client_key(connection)};
    const auto address = IpAddress::parse(connection.remote_address);
    if (!address) return place;
    const auto& limits = shared.context.limits;
    place.network_cap =
        address->is_v4() ? limits.max_sessions_per_ipv4_24 : limits.max_sessions_per_ipv6_48;
    if (place.network_cap > 0) place.network = network_bucket(connection.remote_address);
    return place;
}

// A session counted against its address and network for as long as this lives.
class PlaceHold {
  public:
    PlaceHold(std::shared_ptr<RelayShared> shared, SessionPlace place)
        : shared_(std::move(shared)),
          place_(std::move(place)),
          result_(shared_->hold_place(place_)),
          held_(result_ == PlaceHeld::held) {}
    ~PlaceHold() { release(); }
    PlaceHold(const PlaceHold&) = delete;
    PlaceHold& operator=(const PlaceHold&) = delete;
    PlaceHeld result() const noexcept { return result_; }
    // Gives the place back now: a refused upgrade must not hold it while its answer is written
    // (and the connection lingers), or the client's next attempt finds it still taken.
    void release() {
        if (held_) shared_->release_place(place_);
        held_ = false;
    }

  private:
    std::shared_ptr<RelayShared> shared_;
    SessionPlace place_;
    const PlaceHeld result_;
    bool held_;
};

// A session's places across replicas (shared_session_places.hpp), given back when this goes.
class SharedPlaceHold {
  public:
    SharedPlaceHold(std::shared_ptr<SharedSessionPlaces> places, asio::any_io_executor executor)
        : places_(std::move(places)), executor_(std::move(executor)) {}
    ~SharedPlaceHold() { release(); }
    SharedPlaceHold(const SharedPlaceHold&) = delete;
    SharedPlaceHold& operator=(const SharedPlaceHold&) = delete;
    // Held when there is nothing to count across replicas.
    asio::awaitable<PlaceHeld> take(const SessionPlace& place) {
        if (!places_) co_return PlaceHeld::held;
        co_return co_await places_->hold(place, leases_);
    }
    void release() {
        if (places_) places_->release(std::exchange(leases_, {}), executor_);
    }

  private:
    std::shared_ptr<SharedSessionPlaces> places_;
    asio::any_io_executor executor_;
    SharedPlaceLeases leases_;
};

std::optional<Refusal> place_refusal(PlaceHeld held) {
    switch (held) {
        case PlaceHeld::held:
            return std::nullopt;
        case PlaceHeld::address_full:
            return Refusal{http::status::too_many_requests, "too_many_sessions",
                           "this address has too many assistant sessions open; close one and try again",
                           std::chrono::seconds(30)};
        case PlaceHeld::network_full:
            return Refusal{http::status::too_many_requests, "too_many_network_sessions",
                           "this network has too many assistant sessions open; close one and try again",
                           std::chrono::seconds(30)};
    }
    return std::nullopt;
}

// An address that used its minutes today (REALTIME_DAILY_MINUTES_PER_ADDRESS) waits for the
// next UTC midnight; nothing is counted.
std::optional<Refusal> daily_minutes_refusal(RelayShared& shared,
                                             const UpgradeConnection& connection) {
    const auto wait = shared.daily_minutes.refusal(client_key(connection));
    if (!wait) return std::nullopt;
    return Refusal{http::status::too_many_requests, "daily_minutes_used_up",
                   "this address has used today's assistant minutes; try again after midnight UTC", *wait};
}

std::optional<Refusal> origin_refusal(const RelayShared& shared, const UpgradeConnection& connection) {
    const auto& request = connection.request;
    if (origin_allowed(request[http::field::origin], request[http::field::host],
                       shared.context.limits.allowed_origins)) {
        return std::nullopt;
    }
    return Refusal{http::status::forbidden, "origin_not_allowed",
                   "this page's origin may not open the assistant"};
}

std::optional<Refusal> rate_refusal(RelayShared& shared, const UpgradeConnection& connection) {
    const auto rate = shared.connections.take(client_key(connection));
    if (rate.allowed) return std::nullopt;
    return Refusal{http::status::too_many_requests, "rate_limited",
                   "too many assistant connections from this address; try again shortly",
                   rate.retry_after};
}

asio::awaitable<void> refuse_counted(RelayShared& shared, UpgradeConnection& connection,
                                     const Refusal& refusal) {
    shared.context.metrics
        .counter("calrt_realtime_refusals_total", "Relay connections refused", {{"reason", refusal.code}})
        .inc();
    co_await refuse(connection, refusal);
}

asio::awaitable<void> serve(std::shared_ptr<RelayShared> shared,
                            std::unique_ptr<UpgradeConnection> connection) {
    if (auto refusal = origin_refusal(*shared, *connection)) {
        co_await refuse_counted(*shared, *connection, *refusal);
        co_return;
    }
    // Before anything is counted: a page that sent a zone this server does not know learns so
    // (400 with the reason) rather than talking to an assistant that has the wrong zone.
    auto zone = relay_time_zone(connection->request.target(), shared->context.time_zones);
    if (!zone) {
        const Refusal bad_zone{http::status::bad_request, zone.error().code,
                               zone.error().message + "; leave tz out to let the assistant ask"};
        co_await refuse_counted(*shared, *connection, bad_zone);
        co_return;
    }
    std::string person_zone = *zone ? (*zone)->name() : std::string();
    std::shared_ptr<const tools::TeamScope> team;
    if (shared->context.directory) {
        auto scope = co_await relay_scope(shared->context.directory, connection->request.target());
        if (!scope) {
            const auto status = scope.error().kind == ErrorKind::not_found ? http::status::not_found
                                                                           : http::status::service_unavailable;
            const Refusal unknown{status, scope.error().code, scope.error().message};
            co_await refuse_counted(*shared, *connection, unknown);
            co_return;
        }
        team = std::move(*scope);
    }
    if (auto refusal = daily_minutes_refusal(*shared, *connection)) {
        co_await refuse_counted(*shared, *connection, *refusal);
        co_return;
    }
    // Held from here until the session ends; checked before the rate so that a refusal for
    // too many open sessions does not also use up the address's connection rate.
    const SessionPlace where = session_place(*shared, *connection);
    PlaceHold place(shared, where);
    if (auto refusal = place_refusal(place.result())) {
        co_await refuse_counted(*shared, *connection, *refusal);
        co_return;
    }
    // This replica's count first (no store round trip for what it refuses alone), then every
    // replica's.
    SharedPlaceHold shared_place(shared->shared_places, co_await asio::this_coro::executor);
    const PlaceHeld across_replicas = co_await shared_place.take(where);
    if (auto refusal = place_refusal(across_replicas)) {
        place.release();
        co_await refuse_counted(*shared, *connection, *refusal);
        co_return;
    }
    if (auto refusal = rate_refusal(*shared, *connection)) {
        place.release();
        shared_place.release();
        co_await refuse_counted(*shared, *connection, *refusal);
        co_return;
    }
    // Count first, then check, so that concurrent upgrades cannot both take the last place.
    if (shared->active.fetch_add(1) >= shared->context.limits.max_sessions || shared->stopping) {
        shared->active.fetch_sub(1);
        // A named local, not a braced temporary inside co_await: GCC 12 miscompiles the latter
        // (docs/architecture.md, "Compiler notes").
        const Refusal busy{http::status::service_unavailable, "relay_busy",
                           "the assistant is busy; try again in a minute", std::chrono::seconds(30)};
        place.release();
        shared_place.release();
        co_await refuse_counted(*shared, *connection, busy);
        co_return;
    }
    shared->active_gauge.inc();
    struct Release {
        RelayShared& shared;
        ~Release() {
            shared.active.fetch_sub(1);
            shared.active_gauge.dec();
        }
    } release{*shared};

    net::WebSocketOptions options = shared->context.browser_websocket;
    options.max_message_bytes = shared->context.limits.max_message_bytes;
    options.handshake_response_headers.emplace_back("X-Request-Id", connection->request_id);
    const auto executor = co_await asio::this_coro::executor;
    auto browser = co_await net::accept_websocket(std::move(connection->stream),
                                                  std::move(connection->request), options);
    if (!browser) {
        log::info("relay upgrade failed", {{"request_id", connection->request_id},
                                           {"code", browser.error().code}});
        co_return;
    }
    auto session = std::make_shared<RelaySession>(*shared, executor, std::move(*browser),
                                                  connection->request_id, std::move(person_zone),
                                                  client_key(*connection), std::move(team));
    struct Registered {
        RelayShared& shared;
        std::uint64_t id;
        ~Registered() { shared.remove_session(id); }
    } registered{*shared, shared->add_session(session)};
    // Shutdown may have begun while the upgrade was answered: end at once, as shut_down() would.
    if (shared->stopping) session->end_for_shutdown();
    co_await RelaySession::run(std::move(session));
}

}  // namespace

bool origin_allowed(std::string_view origin, std::string_view host_header,
                    std::string_view allowed) {
    if (!allowed.empty()) {
        if (origin.empty()) return false;
        while (!allowed.empty()) {
            const auto comma = allowed.find(',');
            const auto entry = trim(allowed.substr(0, comma));
            if (!entry.empty() && entry == origin) return true;
            if (comma == std::string_view::npos) break;
            allowed.remove_prefix(comma + 1);
        }
        return false;
    }
    if (origin.empty()) return true;  // not a browser: Origin protects browsers' users
    if (host_header.empty()) return false;
    const std::string host(host_header);
    // The page's own origin, when its Host names the machine by address or as localhost. A domain
    // name is not enough: with DNS rebinding, a hostile page's origin and Host both carry the
    // attacker's domain while the requests reach this service; such deployments list their
    // Origins in REALTIME_ALLOWED_ORIGINS.
    const std::string name(host_name(host_header));
    boost::system::error_code not_an_address;
    (void)asio::ip::make_address(name, not_an_address);
    const bool host_by_address = !not_an_address || name == "localhost";
    if (host_by_address && (origin == "http://" + host || origin == "https://" + host)) return true;
    const std::string port(host_port(host_header));
    const std::string suffix = port.empty() ? std::string() : ":" + port;
    return origin == "http://localhost" + suffix || origin == "http://127.0.0.1" + suffix;
}

void add_realtime_relay(HttpServer& server, RelayContext& context) {
    auto shared = std::make_shared<RelayShared>(context);
    // A plain lambda (not a coroutine) handing over to a named coroutine: GCC 12 mishandles
    // coroutine lambdas that capture by value (docs/architecture.md, "Compiler notes").
    server.on_upgrade("/api/realtime", [shared](std::unique_ptr<UpgradeConnection> connection) {
        return serve(shared, std::move(connection));
    });
    server.on_shutdown([shared] { shared->shut_down(); });
}

}  // namespace calrt::server
