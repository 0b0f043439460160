#pragma once
// One accepted phone call (issue 24): the assistant's tools and the server-side ("sideband")
// Realtime connection attached to the call by its id, over which this service sees the call's
// events and answers its tool calls; the audio stays between the caller and OpenAI.
//
// Every rule of the browser relay holds: a tool with an effect runs only from a response the
// caller did not cut off (FunctionCallLoop), a call books at most a few meetings, and a booking is
// confirmed in the call when Calendly's webhook arrives (ConversationBookings). Per call: a length
// (PHONE_MAX_CALL_MINUTES), responses (REALTIME_SESSION_MAX_RESPONSES) and tool calls
// (max_tool_calls); past one, the assistant says goodbye and the call is hung up. Its time is
// charged to the day's phone minutes as it passes (PHONE_MAX_MINUTES_PER_DAY).
//
// Hand-off: the transfer_to_human tool, or two failures in a row (a tool answering that Calendly
// failed or timed out, or an error from the Realtime API), transfer the call with SIP REFER to
// PHONE_HANDOFF_URI once the assistant has said so; without one, the assistant tells the caller
// how to reach the host. The end_call tool hangs up after the goodbye.
//
// The sideband may drop while the call goes on: it is attached again (a few times, then the
// call is hung up rather than left talking without its tools). When OpenAI closes it, the call
// is over. However the call ends, its line is freed and it is counted.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"
#include "calrt/phone/phone_assistant.hpp"
#include "calrt/phone/phone_calls.hpp"
#include "calrt/phone/phone_lines.hpp"
#include "calrt/realtime/realtime_observer.hpp"
#include "calrt/realtime/realtime_session.hpp"
#include "calrt/server/conversation_bookings.hpp"
#include "calrt/server/realtime_relay.hpp"
#include "calrt/store/delivery_feed.hpp"
#include "calrt/tools/calendly_tools.hpp"
#include "calrt/tools/tool_registry.hpp"

namespace calrt::phone {

struct PhoneCallSettings {
    std::string handoff_uri{};  // PHONE_HANDOFF_URI: "tel:…" or "sip:…"; empty: no transfers
    std::chrono::milliseconds max_duration{15 * 60'000};  // PHONE_MAX_CALL_MINUTES
    std::size_t max_responses = 100;   // REALTIME_SESSION_MAX_RESPONSES
    std::size_t max_tool_calls = 50;   // a booking takes four or five
    // How often a call's time is charged to the day's minutes: a day may overrun by this per call.
    std::chrono::milliseconds minutes_tick{15'000};
    // How long the last words (a goodbye, "transferring you now") may take before the hang-up or
    // transfer goes ahead anyway.
    std::chrono::milliseconds last_words_limit{20'000};
    // Re-attaching a dropped sideband: attempts in all, and the wait before each.
    unsigned reattach_attempts = 3;
    std::chrono::milliseconds reattach_delay{500};
};

class PhoneCall;

// The calls in progress, so that shutdown can hang them up. A call counts until its PhoneCall is
// gone, which is after everything it does with the PhoneCallContext: what waits for size() to reach 0
// may then destroy the context. Thread-safe.
class ActiveCalls {
  public:
    void add(const std::shared_ptr<PhoneCall>& call);
    void end_all();
    std::size_t size() const;

  private:
    mutable std::mutex mutex_;
    std::map<std::string, std::weak_ptr<PhoneCall>> calls_;
};

// Shared by every call; borrowed, must outlive the calls.
struct PhoneCallContext {
    // The assistant every conversation has: Calendly, the daily budgets and quotas, the clock and
    // zones, the bookings feed for live confirmations, the Realtime options (URL, key, voice, turn
    // detection, tool timeout) and the metrics.
    server::RelayContext& assistant;
    PhoneCalls& calls;
    PhoneLines& lines;
    PhoneCallSettings settings{};
    // Charges call time to today's phone minutes; false when they are used up. Empty: no daily
    // minutes (phone/caller_limits.hpp is what the service plugs in).
    std::function<boost::asio::awaitable<Result<bool>>(std::chrono::seconds elapsed)> charge_call_time{};
    ActiveCalls active{};
};

class PhoneCall : public realtime::RealtimeObserver, public std::enable_shared_from_this<PhoneCall> {
  public:
    PhoneCall(PhoneCallContext& context, boost::asio::any_io_executor executor, IncomingCall call,
              std::string request_id);
    ~PhoneCall() override;

    // The body of the accept: {"type": "realtime", "model", "instructions", "output_modalities",
    // "audio": {"input": {"turn_detection"}, "output": {"voice"}}, "tools", "tool_choice"}. No audio
    // formats: the SIP leg's codec is OpenAI's to negotiate.
    nlohmann::json accept_session() const;

    // After a successful accept: attaches the sideband, greets the caller and runs the call until
    // it ends; then frees the call's line. Call once.
    static boost::asio::awaitable<void> run(std::shared_ptr<PhoneCall> self);

    // At shutdown: hangs up now (a call left without its tools would talk on, unable to book).
    // Thread-safe.
    void end_for_shutdown();

    const std::string& call_id() const noexcept { return call_.call_id; }

    void on_server_event(std::string_view type, std::string_view raw_json) override;
    void on_tool_started(const realtime::ToolCallInfo& call) override;
    void on_tool_finished(const realtime::ToolCallInfo& call, const nlohmann::json& output,
                          std::chrono::milliseconds took) override;
    void on_upstream_error(const realtime::UpstreamError& error) override;

  private:
    enum class Action { none, hang_up, transfer };

    static boost::asio::awaitable<void> run_on_strand(std::shared_ptr<PhoneCall> self);
    boost::asio::awaitable<bool> attach();
    void subscribe_to_bookings();
    void confirm(server::BookingConfirmation booking);
    // Schedules `action` after the assistant's next response (its last words; with `last_words`,
    // a response asking for them is requested), or at once when `last_words` is empty and
    // `wait_for_response` is false. The first action wins. On strand_.
    // `after_call_control`: the last words are the answer to transfer_to_human's or end_call's output.
    void finish(Action action, std::string reason, std::string last_words, bool wait_for_response = true,
                bool after_call_control = false);
    void count_failure(std::string_view what);
    nlohmann::json transfer_requested(std::string_view reason);
    nlohmann::json end_requested();
    static boost::asio::awaitable<void> act(std::shared_ptr<PhoneCall> self);
    static boost::asio::awaitable<void> enforce_length(std::shared_ptr<PhoneCall> self);
    static boost::asio::awaitable<void> charge_minutes(std::shared_ptr<PhoneCall> self);
    static boost::asio::awaitable<void> wait_for_last_words(std::shared_ptr<PhoneCall> self);
    boost::asio::awaitable<bool> charge_time_since_last();
    void count_call(std::string_view outcome, std::string_view reason = {});

    PhoneCallContext& context_;
    boost::asio::any_io_executor strand_;  // all state below lives here
    const IncomingCall call_;
    const std::string request_id_;
    const std::string instructions_;
    tools::ToolRegistry tools_;
    std::shared_ptr<tools::CalendlyToolContext> tool_context_;
    std::shared_ptr<CallControlActions> call_control_;
    server::ConversationBookings bookings_;
    store::DeliveryFeed::Subscription booking_feed_;
    std::shared_ptr<realtime::RealtimeSession> upstream_;
    boost::asio::steady_timer length_timer_;
    boost::asio::steady_timer minutes_timer_;
    boost::asio::steady_timer last_words_timer_;
    boost::asio::steady_timer acted_;  // cancelled when act() has finished
    bool acting_ = false;              // act() is talking to call control
    const Timestamp started_;
    Timestamp charged_until_;
    bool ended_ = false;         // the call is over: no more actions, no re-attaching
    bool hung_up_here_ = false;  // a hangup or refer went out (or was tried) from here
    Action pending_ = Action::none;
    bool awaiting_last_words_ = false;  // the action waits for the tagged response the service asked for
    std::string pending_reason_;
    std::size_t responses_created_ = 0;
    std::size_t pending_after_responses_ = 0;  // the action waits for a response created after this many
    std::size_t call_control_baseline_ = 0;    // responses created when a call-control tool started
    std::size_t tool_calls_ = 0;
    unsigned failures_in_a_row_ = 0;
    std::string ended_by_ = "caller";  // for the log and calrt_phone_calls_total
};

}  // namespace calrt::phone
