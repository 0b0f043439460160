#include "support/relay_test_fixture.hpp"

#include "calrt/net/websocket_client.hpp"
#include "support/running_server.hpp"
#include "support/webhook_store_support.hpp"

namespace calrt::test {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

calrt::testing::FakeRealtimeOptions with_relay_key(calrt::testing::FakeRealtimeOptions options) {
    options.api_key = kRelayOpenAiKey;
    return options;
}

}  // namespace

RelayTestFixture::RelayTestFixture(calrt::testing::FakeRealtimeOptions realtime_options)
    : fake_realtime(io.io, with_relay_key(std::move(realtime_options))) {
    fake_realtime.start();
    fake_calendly.start();
    limits.allowed_origins = "";
}

RelayTestFixture::RelayTestFixture() {
    fake_realtime.start();
    fake_calendly.start();
    limits.allowed_origins = "";
}

RelayTestFixture::~RelayTestFixture() {
    // Sessions end once their browser socket is gone (the test's sockets are destroyed by now);
    // their coroutines refer to the members below, so they must finish first.
    wait_until([this] { return active_sessions() == 0 && fake_realtime.open_connections() == 0; });
    io.stop();
}

void RelayTestFixture::start() {
    calendly_options.base_url = fake_calendly.base_url();
    calendly_options.access_token = Secret(fake_calendly.access_token());
    calendly_client = std::make_unique<calendly::CalendlyClient>(io.io.get_executor(),
                                                                 calendly_options, metrics, clock);
    auto opened = store::WebhookStore::open(store_options(data_dir, metrics));
    if (!opened) throw std::runtime_error(opened.error().message);
    webhook_store = std::move(*opened);
    webhook_context = std::make_unique<server::WebhookRouteContext>(server::WebhookRouteContext{
        *webhook_store, Secret(kRelayWebhookKey), Secret("admin"), clock, metrics});
    add_webhook_routes(router, *webhook_context);
    audit_context = std::make_unique<server::SelfServiceAuditRouteContext>(
        server::SelfServiceAuditRouteContext{*webhook_store, Secret("admin")});
    add_self_service_audit_routes(router, *audit_context);

    realtime::RealtimeSessionOptions upstream;
    upstream.url = fake_realtime.url();
    upstream.api_key = Secret(kRelayOpenAiKey);
    upstream.output_modalities = {"text"};
    upstream.tool_timeout = 5s;
    relay_context = std::make_unique<server::RelayContext>(server::RelayContext{
        limits, upstream, *calendly_client, "https://calendly.com/fallback", time_zones, *relay_clock,
        metrics, &webhook_store->feed(), {}});
    http = std::make_unique<server::HttpServer>(io.io, server_config, router, metrics);
    server::add_realtime_relay(*http, *relay_context);
    http->start();
    fake_calendly.subscribe_webhooks(
        "http://127.0.0.1:" + std::to_string(http->port()) + "/api/calendly/webhook",
        kRelayWebhookKey);
}

std::string RelayTestFixture::relay_url() const {
    return "ws://127.0.0.1:" + std::to_string(http->port()) + "/api/realtime";
}

std::size_t RelayTestFixture::active_sessions() {
    return static_cast<std::size_t>(metrics.gauge("calrt_realtime_sessions_active", "").value());
}

Result<net::WebSocket> RelayTestFixture::connect(std::string origin) {
    net::HeaderList headers;
    if (!origin.empty()) headers.emplace_back("Origin", std::move(origin));
    net::WebSocketOptions options;
    options.idle_timeout = 5s;  // a test waiting for an event that never comes fails, not hangs
    return io.run(net::connect_websocket(io.io.get_executor(), relay_url(), headers, options));
}

Result<net::WebSocket> RelayTestFixture::connect_from(std::string client) {
    net::HeaderList headers;
    headers.emplace_back("X-Forwarded-For", std::move(client));
    net::WebSocketOptions options;
    options.idle_timeout = 5s;
    return io.run(net::connect_websocket(io.io.get_executor(), relay_url(), headers, options));
}

net::WebSocket RelayTestFixture::open() {
    auto socket = connect();
    if (!socket) throw std::runtime_error(socket.error().message);
    return std::move(*socket);
}

bool RelayTestFixture::read_until(net::WebSocket& socket,
                                  const std::function<bool(const json&)>& done) {
    return read_events_until(io, socket, log, done);
}

std::function<bool(const json&)> RelayTestFixture::of_type(std::string type) {
    return event_of_type(std::move(type));
}

void RelayTestFixture::send(net::WebSocket& socket, const json& event) {
    ASSERT_TRUE(io.run(socket.write(event.dump())));
}

void RelayTestFixture::say(net::WebSocket& socket, const std::string& text) {
    send(socket, user_message(text));
    send(socket, json{{"type", "response.create"}});
}

}  // namespace calrt::test
