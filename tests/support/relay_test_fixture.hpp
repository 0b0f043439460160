#pragma once
// The browser relay GET /api/realtime in-process for integration tests: the real HttpServer with
// the relay and the webhook routes on an ephemeral port, the fake Realtime server upstream and the
// fake Calendly behind the Calendly client, all on one io_context run by two threads. A test sets
// `limits` (and `calendly_options`) as it needs, calls start(), and talks to the relay as a
// browser does.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/core/config.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/time.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/net/websocket.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/realtime_relay.hpp"
#include "calrt/server/router.hpp"
#include "calrt/server/self_service_audit_routes.hpp"
#include "calrt/server/webhook_routes.hpp"
#include "calrt/store/webhook_store.hpp"
#include "support/io_threads.hpp"
#include "support/realtime_events_reader.hpp"
#include "support/running_server.hpp"
#include "support/temp_dir.hpp"
#include "testing/fake_calendly/fake_calendly.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"

namespace calrt::test {

inline constexpr const char* kRelayOpenAiKey = "sk-test-relay-secret-key";
inline constexpr const char* kRelayWebhookKey = "relay-test-webhook-signing-key";

class RelayTestFixture : public ::testing::Test {
  protected:
    RelayTestFixture();
    // With the fake Realtime configured as a test needs (its api_key is always kRelayOpenAiKey).
    explicit RelayTestFixture(calrt::testing::FakeRealtimeOptions realtime_options);
    // Waits for the relay's sessions to end (their coroutines refer to the members), then stops.
    ~RelayTestFixture() override;

    // Starts the service side with `limits` and `calendly_options` as the test left them.
    void start();

    std::string relay_url() const;
    std::uint16_t relay_port() const { return http->port(); }
    std::size_t active_sessions();

    Result<net::WebSocket> connect(std::string origin = {});
    // As a browser behind the trusted proxy 127.0.0.1 (set server_config.trusted_proxies) whose
    // X-Forwarded-For names `client`.
    Result<net::WebSocket> connect_from(std::string client);
    net::WebSocket open();

    // Reads events (recorded in `seen`) until one satisfies `done`; false when the socket ends.
    bool read_until(net::WebSocket& socket, const std::function<bool(const nlohmann::json&)>& done);
    static std::function<bool(const nlohmann::json&)> of_type(std::string type);
    void send(net::WebSocket& socket, const nlohmann::json& event);
    // A typed message: conversation.item.create, then response.create.
    void say(net::WebSocket& socket, const std::string& text);

    IoThreads io{2};
    calrt::testing::FakeRealtime fake_realtime{
        io.io, calrt::testing::FakeRealtimeOptions{.api_key = kRelayOpenAiKey}};
    calrt::testing::FakeCalendly fake_calendly{io.io};
    MetricsRegistry metrics;
    SystemClock clock;
    // A clock the test moves; the relay reads it when a test points relay_clock at it. Here, not
    // in the test, so that it outlives the sessions the destructor waits for.
    ManualClock manual_clock{clock.now()};
    const Clock* relay_clock = &clock;  // the relay's clock
    ServerConfig server_config = test_server_config();
    TimeZoneCache time_zones;
    TempDir data_dir;
    RealtimeRelayConfig limits;
    calendly::CalendlyClientOptions calendly_options;  // base_url and token are set by start()
    server::Router router;
    std::unique_ptr<calendly::CalendlyClient> calendly_client;
    std::unique_ptr<store::WebhookStore> webhook_store;
    std::unique_ptr<server::WebhookRouteContext> webhook_context;
    // GET /api/calendly/self-service/changes, with the admin token "admin" like the events listing.
    std::unique_ptr<server::SelfServiceAuditRouteContext> audit_context;
    std::unique_ptr<server::RelayContext> relay_context;
    std::unique_ptr<server::HttpServer> http;
    EventLog log;
    std::vector<nlohmann::json>& seen = log.events;
    std::vector<std::string>& seen_text = log.texts;
    std::string& ended_with = log.ended_with;  // the read error that ended read_until
};

}  // namespace calrt::test
