#pragma once
// What FakeRealtime, its HttpServer and its connections share: options, the script, the recordings
// and the open connections. The server's upgrade route holds it, so it outlives every connection
// (their HttpSessions still use `router` and `metrics` after the handler returns).

#include <boost/asio/any_io_executor.hpp>
#include <atomic>
#include <deque>
#include <map>
#include <mutex>

#include "calrt/core/metrics.hpp"
#include "calrt/net/websocket.hpp"
#include "calrt/server/router.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"

namespace calrt::testing {

// What the test thread may ask of one connection's conversation.
class HeldResponses {
  public:
    virtual ~HeldResponses() = default;
    virtual void finish_held_responses() = 0;
};

// What the test thread may ask of a SIP call's sideband conversation (FakeRealtime::caller_says
// and caller_presses; fake_caller.cpp).
class CallerLine {
  public:
    virtual ~CallerLine() = default;
    virtual void caller_says(const std::string& transcript) = 0;
    virtual void caller_presses(char key) = 0;
};

// Something the caller does on a SIP call.
struct CallerAction {
    enum class Kind { says, presses, hangs_up };
    Kind kind = Kind::says;
    std::string text{};  // the transcript, or the keys pressed
};

// One SIP call as its sideband sees it (fake_sideband.hpp).
struct SidebandCall {
    std::weak_ptr<CallerLine> line;         // set while a sideband is connected
    std::weak_ptr<net::WebSocket> socket;   // likewise
    bool connected = false;  // from before its session.created to its serve loop's end
    bool live = false;                      // connected and every queued action played
    std::deque<CallerAction> queued{};      // done before the sideband was live, in order
    std::vector<std::string> assistant_said{};  // each completed assistant answer, in order
};

struct FakeRealtime::State {
    explicit State(FakeRealtimeOptions o) : options(std::move(o)) {}

    const FakeRealtimeOptions options;
    boost::asio::any_io_executor executor;
    MetricsRegistry metrics;
    server::Router router;  // no routes: everything is the upgrade
    std::atomic<std::chrono::milliseconds::rep> latency_ms{0};  // set_latency()

    mutable std::mutex mutex;  // guards everything below
    std::vector<std::pair<std::string, FakeTurn>> script;
    std::vector<nlohmann::json> session_updates;
    std::vector<nlohmann::json> function_call_outputs;
    std::vector<std::string> user_texts;
    std::vector<std::string> system_texts;
    std::vector<std::string> client_event_types;
    std::vector<std::size_t> outputs_before_response_create;
    std::vector<FakeToolRoundTrip> tool_round_trips;
    std::deque<FakeTurn> speech_turns;  // on_speech()
    std::vector<nlohmann::json> errors_sent;
    std::vector<std::string> response_statuses;
    std::vector<std::weak_ptr<HeldResponses>> conversations;
    std::size_t accepted = 0;
    // Upgrades being answered. They count as open: the client may have the handshake's answer (and
    // send, and even close) before this side's coroutine resumes to register the connection.
    std::size_t upgrading = 0;
    std::size_t rejected = 0;
    std::string last_model;
    std::vector<std::string> sideband_call_ids;  // the ?call_id= of each accepted sideband connection
    std::map<std::string, SidebandCall> sideband_calls;  // by call id
    std::shared_ptr<FakeCalls> calls;  // the SIP call control (call_control.hpp)
    std::map<std::uint64_t, std::shared_ptr<net::WebSocket>> connections;
    std::uint64_t next_connection_id = 1;

    // The scripted turn for `text`, if any.
    std::optional<FakeTurn> scripted_turn(std::string_view text) const;
};

}  // namespace calrt::testing
