#pragma once
// One conversation with OpenAI's Realtime API (GA interface) over a WebSocket, running the
// assistant's tools itself:
//   connect():  opens {url}?model={model} with "Authorization: Bearer {key}" and sends
//               session.update first (instructions, output modality, audio formats, server VAD,
//               the registry's tools, tool_choice "auto").
//   run():      reads server events until the upstream closes. Every event goes to the observer.
//               Each function call (by call_id, once, however often it is announced) runs through
//               the ToolRegistry with a timeout; the calls of one response run concurrently, and
//               each output is sent as conversation.item.create function_call_output as soon as
//               it is ready. A tool with an effect runs only once its response is done and was not
//               cancelled; after the outputs, the model is asked to go on once no response is
//               active, again if the server refused (FunctionCallLoop explains the ordering).
//               "error" events are logged and passed to the observer; they do not end the session.
//               A response.create from send() that the API refuses because a response is active
//               (conversation_already_has_active_response: the person typed while the model was
//               answering) is asked again once the conversation is idle.
//   send*():    client events from elsewhere (a user's text, the relay's forwarded events), safe
//               from any coroutine or thread and sent in call order.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calrt/core/error.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/net/websocket.hpp"
#include "calrt/realtime/client_events.hpp"
#include "calrt/realtime/function_call_loop.hpp"
#include "calrt/realtime/realtime_observer.hpp"
#include "calrt/tools/tool_registry.hpp"

namespace calrt::realtime {

struct RealtimeSessionOptions {
    std::string url = "wss://api.openai.com/v1/realtime";  // OPENAI_REALTIME_URL
    std::string model = "gpt-realtime-2.1";                // OPENAI_REALTIME_MODEL
    Secret api_key;  // OPENAI_API_KEY; empty sends no Authorization
    std::string instructions;
    std::vector<std::string> output_modalities{"audio"};  // or {"text"}
    std::string voice = "marin";
    TurnDetection turn_detection{};  // REALTIME_TURN_DETECTION, REALTIME_VAD_EAGERNESS
    // REALTIME_REASONING_EFFORT; sent only to a model that takes it (model_takes_reasoning).
    std::string reasoning_effort{};
    std::chrono::milliseconds tool_timeout{20'000};
    net::WebSocketOptions websocket;
    // A phone call's id ("rtc_…"): attach to that call's session as a sideband instead of opening
    // a new one (developers.openai.com, "Realtime server controls": the URL names the call_id
    // instead of the model). The call was accepted with its configuration, so no session.update
    // is sent; the audio goes between the caller and OpenAI, never through here.
    std::string call_id{};
};

// "{url}?model={model}" (added to any query the URL already has), or "invalid_url".
Result<std::string> realtime_session_url(std::string_view base_url, std::string_view model);
// "{url}?call_id={call_id}", without any model the URL names (openai-node
// src/realtime/internal-base.ts refuses both together), or "invalid_url".
Result<std::string> realtime_sideband_url(std::string_view base_url, std::string_view call_id);

class RealtimeSession : public std::enable_shared_from_this<RealtimeSession> {
    struct Token {};

  public:
    // Opens the session and sends session.update (a sideband, options.call_id: attaches and sends
    // nothing). `tools` must outlive the session (and any tool
    // call still running after it). Fails with the net::connect_websocket() codes, e.g.
    // "handshake_rejected" when the key is refused.
    static boost::asio::awaitable<Result<std::shared_ptr<RealtimeSession>>> connect(
        boost::asio::any_io_executor executor, const tools::ToolRegistry& tools,
        RealtimeSessionOptions options, std::shared_ptr<RealtimeObserver> observer);

    // Runs the session until it ends and returns why (also given to on_session_ended):
    //   "upstream_closed"   the API closed the WebSocket (its close code and reason in the message)
    //   "closed"            close() was called here
    //   "timeout", "connection_lost", "message_too_large"   see net::WebSocket
    // Call once.
    boost::asio::awaitable<Error> run();

    // Queues a client event (serialized as JSON text). Thread-safe, ordered.
    void send(const nlohmann::json& client_event);
    // Queues a client event's JSON text as it is (the relay's checked audio), ordered with send().
    // Not for response.create, which send() keeps track of.
    void forward(std::string client_event_text);
    // Queues client events to go out together once the conversation is idle: no response active
    // or requested, no function call running. For what the application adds on its own (the
    // relay's booking confirmation), so it neither overtakes a tool's output the model is about
    // to answer from nor collides with an active response (the API refuses a second
    // response.create then: conversation_already_has_active_response). Thread-safe; groups go
    // out in order, each waiting for the conversation to be idle again.
    void send_when_idle(std::vector<nlohmann::json> client_events);
    // A user's typed message: conversation.item.create (input_text), then response.create.
    void send_user_text(std::string_view text);
    // Sends a close frame with `reason`; run() then returns "closed".
    boost::asio::awaitable<void> close(std::string reason);
    // Drops the connection at once, without a closing handshake (at shutdown); run() then returns
    // "closed". Thread-safe.
    void abort(std::string reason);

    // The session object sent in session.update (what the relay must not let a browser replace).
    const nlohmann::json& session_config() const noexcept { return session_config_; }

    RealtimeSession(Token, boost::asio::any_io_executor executor, const tools::ToolRegistry& tools,
                    RealtimeSessionOptions options, std::shared_ptr<RealtimeObserver> observer,
                    net::WebSocket socket);

  private:
    static boost::asio::awaitable<Error> read_loop(std::shared_ptr<RealtimeSession> self);
    static boost::asio::awaitable<void> mark_closing(std::shared_ptr<RealtimeSession> self,
                                                     std::string reason);
    static boost::asio::awaitable<void> run_call(std::shared_ptr<RealtimeSession> self,
                                                 FunctionCall call);
    void handle(const std::string& text);
    // Carries out what the function-call loop decided. On the strand.
    void apply(FunctionCallLoop::Steps steps);
    void send_queued_if_idle();
    // A response.create sent through send() that the API refused because a response was active:
    // asked again once the conversation is idle (a few times at most).
    void retry_when_idle(const std::string& refused_id);
    void start_call(const FunctionCall& call);
    Error end_reason(const Error& read_error) const;

    boost::asio::any_io_executor executor_;  // where tools run
    boost::asio::any_io_executor strand_;    // all session state below is touched only here
    const tools::ToolRegistry& tools_;
    const RealtimeSessionOptions options_;
    const std::shared_ptr<RealtimeObserver> observer_;
    net::WebSocket socket_;
    nlohmann::json session_config_;
    FunctionCallLoop loop_;
    std::string close_reason_;
    bool closing_ = false;
    std::atomic<std::uint64_t> response_requests_sent_{0};
    std::deque<std::vector<nlohmann::json>> when_idle_;
    // response.create requests sent through send(), with how often each was asked before. One
    // entry per request a person made (a session allows a few hundred at most).
    std::map<std::string, unsigned> retries_;
};

}  // namespace calrt::realtime
