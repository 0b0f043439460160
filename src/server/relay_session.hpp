#pragma once
// One browser's relay session (realtime_relay.hpp): its tools, its upstream Realtime session, the
// browser WebSocket, the time limit, the session settings in force and the live booking
// confirmation. Internal to server/.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calrt/core/time.hpp"
#include "calrt/net/websocket.hpp"
#include "calrt/realtime/realtime_observer.hpp"
#include "calrt/realtime/realtime_session.hpp"
#include "calrt/server/relay_budget.hpp"
#include "calrt/store/delivery_feed.hpp"
#include "calrt/tools/calendly_tools.hpp"
#include "calrt/tools/self_service_tools.hpp"
#include "calrt/tools/verification_tools.hpp"
#include "calrt/tools/tool_registry.hpp"
#include "calrt/server/booking_confirmation.hpp"
#include "calrt/server/conversation_bookings.hpp"
#include "relay_shared.hpp"

namespace calrt::server {

class RelaySession : public realtime::RealtimeObserver,
                     public std::enable_shared_from_this<RelaySession> {
  public:
    // `person_time_zone`: the validated zone the page sent (relay_time_zone.hpp), or "".
    // `client_address`: the connection's address bucket, for book_meeting's per-address cap.
    // `team`: organization mode, the scope the page asked for (relay_scope.hpp).
    RelaySession(RelayShared& shared, boost::asio::any_io_executor executor, net::WebSocket browser,
                 std::string request_id, std::string person_time_zone, std::string client_address = {},
                 std::shared_ptr<const tools::TeamScope> team = {});
    // A proven email ends with its conversation.
    ~RelaySession() override;

    // Runs the session until the browser or the upstream ends it. Runs on `executor`.
    static boost::asio::awaitable<void> run(std::shared_ptr<RelaySession> self);

    void on_server_event(std::string_view type, std::string_view raw_json) override;
    // Sends the page the call's structured result as calrt.tool_result (tool_result_event.hpp).
    void on_tool_finished(const realtime::ToolCallInfo& call, const nlohmann::json& output,
                          std::chrono::milliseconds took) override;

    // Closes the browser side with 1001 (the session then ends as when the browser leaves), and
    // cancels the upstream connect when the session is still opening. Thread-safe.
    void end_for_shutdown();

  private:
    static boost::asio::awaitable<void> pump_upstream(
        std::shared_ptr<RelaySession> self, std::shared_ptr<realtime::RealtimeSession> upstream);
    static boost::asio::awaitable<void> enforce_time_limit(std::shared_ptr<RelaySession> self);
    // Charges the session's time to its address's daily minutes as it passes, and ends the
    // session when the address has used them (daily_relay_minutes.hpp).
    static boost::asio::awaitable<void> charge_daily_minutes(std::shared_ptr<RelaySession> self);
    // Closes the browser side with 1008 and `breach`'s reason, counted once in
    // calrt_realtime_limit_closes_total{limit}; the session then ends as when the browser leaves.
    static boost::asio::awaitable<void> end_for_limit(std::shared_ptr<RelaySession> self,
                                                      BudgetBreach breach);
    static boost::asio::awaitable<void> close_browser(std::shared_ptr<RelaySession> self,
                                                      std::uint16_t code, std::string reason);
    boost::asio::awaitable<bool> open_upstream();
    void subscribe_to_bookings();
    // Forwards, answers or refuses one browser message; a breach of the session's budget instead
    // (nothing forwarded), for the caller to close the session with.
    std::optional<BudgetBreach> handle_browser_message(const std::string& text);
    bool expect_booking(const tools::ExpectedBooking& booking);
    void settle_booking(const tools::ExpectedBooking& booking, tools::BookingSettlement settlement);
    void on_booking(const store::StoredDelivery& delivery);
    // Tells the model and the page about a confirmed booking of this conversation.
    void confirm(BookingConfirmation booking);

    RelayShared& shared_;
    boost::asio::any_io_executor executor_;  // the connection's strand: all state below lives here
    net::WebSocket browser_;
    const std::string request_id_;
    const std::string person_time_zone_;  // goes into the assistant's instructions
    const std::string client_address_;    // the address bucket its daily minutes are charged to
    tools::ToolRegistry tools_;
    // Shared with the tool handlers: a call still running after its dispatch timeout keeps it.
    std::shared_ptr<tools::CalendlyToolContext> tool_context_;
    // Invitee self-service, when offered: codes and proofs are bound to conversation_id_.
    std::string conversation_id_;
    identity::VerificationCodes* codes_ = nullptr;  // the codes conversation_id_'s proofs live in
    std::shared_ptr<tools::VerificationToolContext> verification_context_;
    std::shared_ptr<tools::SelfServiceToolContext> self_service_context_;
    std::shared_ptr<realtime::RealtimeSession> upstream_;
    bool opening_ = false;                          // inside the upstream connect
    boost::asio::cancellation_signal opening_cancel_;  // ends that connect at shutdown
    // What is in force upstream: what the session opened with, then each session.updated.
    nlohmann::json session_config_;
    boost::asio::steady_timer time_limit_;
    boost::asio::steady_timer shutdown_deadline_;  // cuts off a browser that ignores the 1001
    boost::asio::steady_timer minutes_tick_;
    Timestamp minutes_charged_until_;  // the session's time before this is charged
    bool ended_ = false;               // run() has left its read loop
    bool closing_for_limit_ = false;
    SessionBudget budget_;
    store::DeliveryFeed::Subscription bookings_;
    // What this conversation booked and the confirmations due for it.
    ConversationBookings conversation_bookings_;
};

}  // namespace calrt::server
