#pragma once
// One browser's relay session (realtime_relay.hpp): its tools, its upstream Realtime session, the
// browser WebSocket, the time limit and the live booking confirmation. Internal to server/.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "calrt/net/websocket.hpp"
#include "calrt/realtime/realtime_observer.hpp"
#include "calrt/realtime/realtime_session.hpp"
#include "calrt/server/rate_limiter.hpp"
#include "calrt/server/realtime_relay.hpp"
#include "calrt/store/delivery_feed.hpp"
#include "calrt/tools/calendly_tools.hpp"
#include "calrt/tools/tool_registry.hpp"

namespace calrt::server {

// What all sessions of one relay share.
struct RelayShared {
    explicit RelayShared(RelayContext& relay_context);

    RelayContext& context;
    RateLimiter connections;
    std::atomic<std::size_t> active{0};
    Gauge& active_gauge;
    Counter& sessions_total;
    Counter& confirmations_total;
};

class RelaySession : public realtime::RealtimeObserver,
                     public std::enable_shared_from_this<RelaySession> {
  public:
    RelaySession(RelayShared& shared, boost::asio::any_io_executor executor, net::WebSocket browser,
                 std::string request_id);

    // Runs the session until the browser or the upstream ends it. Runs on `executor`.
    static boost::asio::awaitable<void> run(std::shared_ptr<RelaySession> self);

    void on_server_event(std::string_view type, std::string_view raw_json) override;

  private:
    static boost::asio::awaitable<void> pump_upstream(
        std::shared_ptr<RelaySession> self, std::shared_ptr<realtime::RealtimeSession> upstream);
    static boost::asio::awaitable<void> enforce_time_limit(std::shared_ptr<RelaySession> self);
    boost::asio::awaitable<bool> open_upstream();
    void subscribe_to_bookings();
    void handle_browser_message(const std::string& text);
    void record_invitee_email(const std::string& email);
    void on_booking(const store::StoredDelivery& delivery);

    RelayShared& shared_;
    boost::asio::any_io_executor executor_;  // the connection's strand: all state below lives here
    net::WebSocket browser_;
    const std::string request_id_;
    tools::ToolRegistry tools_;
    tools::CalendlyToolContext tool_context_;
    std::shared_ptr<realtime::RealtimeSession> upstream_;
    nlohmann::json session_config_;  // what is in force upstream
    boost::asio::steady_timer time_limit_;
    store::DeliveryFeed::Subscription bookings_;
    std::set<std::string> confirmed_invitees_;

    std::mutex emails_mutex_;  // tools run on any thread
    std::set<std::string> invitee_emails_;
};

}  // namespace calrt::server
