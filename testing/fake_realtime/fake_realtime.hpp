#pragma once
// A fake of OpenAI's Realtime API (GA event protocol) on a loopback WebSocket, for tests and for
// the sandbox (no OPENAI_API_KEY). Built on server::HttpServer's upgrade hook at /v1/realtime.
//
// Per connection it checks "Authorization: Bearer <api_key>" (refusing others with HTTP 401 before
// the upgrade, as OpenAI does), sends session.created, answers session.update with session.updated,
// and answers a user's text message (conversation.item.create + response.create) from a script:
//   fake.on_user_text("availability", FakeTurn{{{"check_meeting_availability", {{"timezone",
//   "UTC"}}}},
//                                              [](const auto& outputs) { return "..."; }});
// A turn with calls streams one response that calls them the way the API does (output_item.added,
// function_call_arguments.delta pieces, .done, output_item.done, response.done); once the client
// has sent the function_call_outputs and response.create, the answer streams as text (or, when the
// session asked for audio, as an audio transcript with a little silent audio). Everything the
// client sent is recorded for assertions.
//
// As strict as the real server (research/openai.md): voice activity detection on the input audio
// creates and interrupts responses; a response.create while a response is in progress, a voice
// change after output audio and unknown session parameters are refused with the real error
// events (session_rules.hpp). With `sandbox`, unscripted messages go to the sandbox
// assistant (sandbox_assistant.hpp), which maps plain phrases to the booking tools.

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "calrt/server/http_server.hpp"
#include "testing/fake_realtime/call_control.hpp"
#include "testing/fake_realtime/models_route.hpp"

namespace calrt::testing {

struct FakeToolCall {
    std::string name;
    nlohmann::json arguments = nlohmann::json::object();
};

// Where a response stops and stays in progress, so a test can interleave events with it.
enum class FakeHold {
    none,           // streams to the end: response.done "completed"
    after_items,    // every function call completed (arguments, .done, output_item.done
                    // "completed"); a spoken or text answer: its first delta; no response.done
    mid_arguments,  // the first call's output_item.added and part of its arguments; nothing done
};

// What the fake model does with a user message (or, on_speech, with speech it detected).
struct FakeTurn {
    using Answer = std::function<std::string(const std::vector<nlohmann::json>& outputs)>;

    // One response calling `calls`, then, after their outputs and a response.create, `answer`.
    static FakeTurn calling(std::vector<FakeToolCall> calls, Answer answer = {});
    // An answer without tool calls.
    static FakeTurn saying(std::string text);
    // An "error" event with this error object ({"type","code","message"}) instead of a response.
    static FakeTurn failing(nlohmann::json error);

    // Called in one response (none: answer at once).
    std::vector<FakeToolCall> calls;
    // The final answer, given the outputs the client sent for `calls` (parsed JSON, in call
    // order). Unset: a sentence quoting the outputs.
    Answer answer;
    std::optional<nlohmann::json> error;
    // Where this turn's first response stops (the answer after its calls is never held). A held
    // response ends when speech interrupts it or the client sends response.cancel (response.done
    // "cancelled"), or when the test calls FakeRealtime::finish_held_responses() ("completed").
    FakeHold hold = FakeHold::none;

    FakeTurn& held(FakeHold where) & {
        hold = where;
        return *this;
    }
    FakeTurn held(FakeHold where) && {
        hold = where;
        return std::move(*this);
    }
};

struct FakeRealtimeOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;                   // 0: an ephemeral port
    std::string api_key = "test-openai-key";  // empty: no Authorization required
    bool sandbox = false;                     // unscripted messages go to the sandbox assistant
    std::size_t argument_pieces = 3;          // function_call_arguments.delta events per call

    // For the relay benchmark (bench/relay): a response.create with nothing to answer is answered
    // with speech streamed at real time, one response.output_audio.delta of `audio_chunk` (24 kHz
    // PCM16, silent) every `audio_chunk`, for `streamed_speech` or until the connection ends. Each
    // of those deltas' event_id ends in "_t<steady_clock nanoseconds when it was sent>". Zero: such
    // a response.create gets a short sentence, as usual.
    std::chrono::milliseconds streamed_speech{0};
    std::chrono::milliseconds audio_chunk{100};
    // Called with every client event as it is read, on the connection's thread (for benchmarks
    // that time what reaches the upstream).
    std::function<void(const nlohmann::json& event)> on_client_event{};
    // When set, every session.update is refused with an error event of this code, as an endpoint
    // refuses a configuration it cannot take (a setting the model does not have, a tool schema it
    // cannot read), and nothing of it applies (for the doctor's Realtime check).
    std::string refuse_session_updates{};
};

// One tool turn as the fake saw it: from sending the response.done that lists the calls to reading
// the response.create that follows their function_call_outputs.
struct FakeToolRoundTrip {
    std::vector<std::string> tools;
    std::chrono::microseconds took{0};
};

class FakeRealtime {
  public:
    explicit FakeRealtime(boost::asio::io_context& io, FakeRealtimeOptions options = {});
    ~FakeRealtime();  // aborts open connections
    FakeRealtime(const FakeRealtime&) = delete;
    FakeRealtime& operator=(const FakeRealtime&) = delete;

    void start();
    // Stops accepting and aborts open connections, so the io_context it runs on can run out of work.
    void stop();
    std::uint16_t port() const;
    std::string url() const;  // ws://host:port/v1/realtime, the OPENAI_REALTIME_URL to use

    // The first turn whose phrase the user's text contains (ignoring case) answers it; an empty
    // phrase matches any text. Thread-safe.
    void on_user_text(std::string phrase, FakeTurn turn);

    // The answer to the next speech the fake detects (voice activity detection, as the session's
    // audio.input.turn_detection says; see voice_activity.hpp), first queued first used. With
    // none queued, detected speech gets a short answer ("Fake Realtime heard you."), or in the
    // sandbox the notice that it cannot understand audio. Thread-safe.
    void on_speech(FakeTurn turn);

    // Completes every response held in progress (FakeTurn::held) on every connection: the rest of
    // its events, then response.done "completed". Thread-safe.
    void finish_held_responses();

    // How long the fake takes to answer the upgrade and each session.update, as an API far away
    // does (a round trip of network latency). Zero by default. Thread-safe; applies from the next
    // upgrade or session.update on.
    void set_latency(std::chrono::milliseconds latency);

    // Closes every open connection with a close frame carrying `code` and `reason`.
    void close_connections(std::uint16_t code, std::string reason);
    // Drops every open connection without a close frame, as a network failure does.
    void drop_connections();

    // What clients sent (thread-safe copies).
    std::vector<nlohmann::json> session_updates()
        const;  // the "session" object of each session.update
    std::vector<nlohmann::json> function_call_outputs() const;  // the items of function_call_output
    std::vector<std::string> user_texts() const;
    std::vector<std::string> system_texts() const;  // the text of each system message item
    std::vector<std::string> client_event_types() const;  // every client event's type, in order
    // For each response.create accepted: how many function_call_outputs had arrived before it on
    // that connection since its last response.
    std::vector<std::size_t> outputs_before_response_create() const;
    std::vector<FakeToolRoundTrip> tool_round_trips() const;
    // Every "error" event the fake sent, whole, in order.
    std::vector<nlohmann::json> errors_sent() const;
    // The response.status of every response.done the fake sent, in order.
    std::vector<std::string> response_statuses() const;
    std::size_t connections_accepted() const;
    std::size_t connections_rejected() const;  // wrong or missing key
    std::size_t open_connections() const;  // counted from the upgrade request to the serve loop's end
    std::string last_model() const;  // the ?model= of the last accepted connection
    // The ?call_id= of each sideband connection accepted, in order. A sideband to a call that is
    // not accepted (FakeCalls) is refused 404 before the upgrade. An accepted call's sideband
    // starts from the session the call was accepted with (session.created carries it) and the
    // fake plays the caller on it (below; fake_sideband.hpp).
    std::vector<std::string> sideband_call_ids() const;

    // The phone caller on a SIP call, as OpenAI's server shows it on the call's sideband (no audio
    // there: the caller's speech arrives over SIP). Each is thread-safe; before the call's
    // sideband is open, it is queued and played, in order, right after the sideband's
    // session.created. Nothing happens on a call that is over; std::invalid_argument for a call
    // the fake never offered. Event order and sources: fake_caller.cpp.
    //
    // The caller says `transcript`: with turn detection on, speech_started (cancelling a response
    // in progress when interrupt_response), speech_stopped, committed, the user's audio item
    // (added, done), then, with create_response and no response in progress, the response the
    // server creates: chosen as for a user's text (on_user_text scripts, else the sandbox
    // assistant in the sandbox, else a default answer); with input transcription configured,
    // conversation.item.input_audio_transcription.completed right after that response's
    // response.created. With turn detection off the fake hears nothing (no buffer to commit).
    void caller_says(std::string call_id, std::string transcript);
    // The caller presses keys (0-9, *, #, A-D; std::invalid_argument otherwise): one
    // input_audio_buffer.dtmf_event_received each.
    void caller_presses(std::string call_id, std::string digits);
    // The caller hangs up: the call becomes FakeCallState::ended and the fake closes its sideband
    // (close frame 1000). A successful POST /hangup or /refer closes it the same way.
    void caller_hangs_up(std::string call_id);
    // The text (or audio transcript) of each assistant answer completed on the call's sideband
    // (response.done "completed"), in order.
    std::vector<std::string> assistant_said(const std::string& call_id) const;
    // Whether a sideband to the call is connected (from before its session.created until the
    // fake has stopped serving it).
    bool sideband_open(const std::string& call_id) const;

    // GET /v1/models/{model} (models_route.hpp): its REST base is http://host:port/v1.
    FakeModels& models() { return *models_; }
    // The SIP call control POST /v1/realtime/calls/{call_id}/accept|reject|refer|hangup
    // (call_control.hpp); incoming_call_webhook.hpp builds the webhook that offers a call.
    FakeCalls& calls() { return *calls_; }
    // http://host:port/v1, the OPENAI_API_BASE_URL to use.
    std::string rest_url() const;

    struct State;  // shared with the connections; defined in fake_realtime_state.hpp

  private:
    std::shared_ptr<State> state_;
    std::unique_ptr<server::HttpServer> server_;
    std::shared_ptr<FakeModels> models_ = std::make_shared<FakeModels>();
    std::shared_ptr<FakeCalls> calls_ = std::make_shared<FakeCalls>();
};

}  // namespace calrt::testing
