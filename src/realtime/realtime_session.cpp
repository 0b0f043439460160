#include "calrt/realtime/realtime_session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "calrt/core/flat_json.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/net/websocket_client.hpp"
#include "calrt/realtime/client_events.hpp"

namespace calrt::realtime {
namespace asio = boost::asio;
using nlohmann::json;
using std::chrono::steady_clock;

namespace {

// How often one refused response request is asked again (each time once the conversation is idle).
constexpr unsigned kMaxResponseRetries = 3;

std::string serialized(const json& event) {
    // A user's text can hold invalid UTF-8; replacing it beats throwing mid-conversation.
    return event.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool is_streamed_delta(std::string_view type) {
    return type == event_type::output_audio_delta || type == event_type::output_audio_transcript_delta ||
           type == event_type::output_text_delta;
}

}  // namespace

namespace {

// `base_url` with the query parameter `name` set to `value` (and `drop` removed), or "invalid_url".
Result<std::string> with_query_param(std::string_view base_url, std::string_view name, std::string_view value,
                                     std::string_view drop = {}) {
    auto parsed = boost::urls::parse_uri(base_url);
    if (!parsed) {
        return Error::make(ErrorKind::invalid_argument, "invalid_url",
                           "the Realtime URL '" + std::string(base_url) + "' is not a URL");
    }
    boost::urls::url url(*parsed);
    if (!drop.empty()) url.params().erase(drop);
    url.params().set(name, value);
    return std::string(url.buffer());
}

}  // namespace

Result<std::string> realtime_session_url(std::string_view base_url, std::string_view model) {
    return with_query_param(base_url, "model", model);
}

Result<std::string> realtime_sideband_url(std::string_view base_url, std::string_view call_id) {
    return with_query_param(base_url, "call_id", call_id, "model");
}

RealtimeSession::RealtimeSession(Token, asio::any_io_executor executor,
                                 const tools::ToolRegistry& tools, RealtimeSessionOptions options,
                                 std::shared_ptr<RealtimeObserver> observer, net::WebSocket socket)
    : executor_(executor),
      strand_(asio::make_strand(executor)),
      tools_(tools),
      options_(std::move(options)),
      observer_(observer ? std::move(observer) : std::make_shared<RealtimeObserver>()),
      socket_(std::move(socket)),
      loop_([&tools](std::string_view tool) { return tools.has_effect(tool); }) {}

asio::awaitable<Result<std::shared_ptr<RealtimeSession>>> RealtimeSession::connect(
    asio::any_io_executor executor, const tools::ToolRegistry& tools,
    RealtimeSessionOptions options, std::shared_ptr<RealtimeObserver> observer) {
    const bool sideband = !options.call_id.empty();
    auto url = sideband ? realtime_sideband_url(options.url, options.call_id)
                        : realtime_session_url(options.url, options.model);
    if (!url) co_return url.error();
    // GA interface: no "OpenAI-Beta: realtime=v1" header, which would select the beta protocol.
    net::HeaderList headers;
    if (!options.api_key.empty())
        headers.emplace_back("Authorization", "Bearer " + options.api_key.reveal());
    auto socket =
        co_await net::connect_websocket(executor, *url, std::move(headers), options.websocket);
    if (!socket) {
        log::warn("realtime session could not connect",
                  {{"code", socket.error().code}, {"error", socket.error().message}});
        co_return socket.error();
    }

    SessionConfig config{options.instructions, options.output_modalities, options.voice,
                         tools.specs(), "auto", options.turn_detection, {}};
    if (!options.reasoning_effort.empty()) {
        if (model_takes_reasoning(options.model)) {
            config.reasoning_effort = options.reasoning_effort;
        } else {
            // The API refuses session.reasoning for models that do not reason; the session is
            // still worth having without it.
            log::warn("the Realtime model does not take a reasoning effort; not sending it",
                      {{"model", options.model}, {"effort", options.reasoning_effort}});
        }
    }
    auto update = session_update(config);
    const std::string model = options.model;
    auto session = std::make_shared<RealtimeSession>(Token{}, executor, tools, std::move(options),
                                                     std::move(observer), std::move(*socket));
    session->session_config_ = update["session"];
    if (sideband) {
        log::info("realtime sideband attached to a call", {{"call_id", session->options_.call_id},
                                                           {"tools", tools.names().size()}});
        co_return session;
    }
    // session.update goes first, before anything else can be queued on the socket.
    if (auto sent = co_await session->socket_.write(serialized(update)); !sent)
        co_return sent.error();
    log::info("realtime session opened", {{"model", model}, {"tools", tools.names().size()}});
    co_return session;
}

asio::awaitable<Error> RealtimeSession::run() {
    co_return co_await asio::co_spawn(strand_, read_loop(shared_from_this()), asio::use_awaitable);
}

void RealtimeSession::send(const json& client_event) {
    if (client_event.value("type", "") != "response.create") {
        socket_.send(serialized(client_event));
        return;
    }
    // Each response.create carries an event_id, so an error refusing it can be matched and the
    // request forgotten. Recorded before the event is written, so it is in place before the
    // response.created it causes can be read (dispatch: at once when already on the strand).
    json request = client_event;
    if (!request.contains("event_id") || !request["event_id"].is_string()) {
        request["event_id"] = "calrt_response_" + std::to_string(++response_requests_sent_);
    }
    asio::dispatch(strand_, [self = shared_from_this(), id = request["event_id"].get<std::string>()]() mutable {
        self->retries_.try_emplace(id, 0);
        self->loop_.response_requested(std::move(id), false);
    });
    socket_.send(serialized(request));
}

void RealtimeSession::forward(std::string client_event_text) {
    socket_.send(std::move(client_event_text));
}

void RealtimeSession::send_when_idle(std::vector<json> client_events) {
    asio::dispatch(strand_, [self = shared_from_this(), events = std::move(client_events)]() mutable {
        self->when_idle_.push_back(std::move(events));
        self->send_queued_if_idle();
    });
}

void RealtimeSession::retry_when_idle(const std::string& refused_id) {
    const auto refused = retries_.find(refused_id);
    if (refused == retries_.end()) return;  // not a request made through send()
    const unsigned attempts = refused->second + 1;
    retries_.erase(refused);
    if (attempts > kMaxResponseRetries) {
        log::warn("a response request was refused again and again; giving up on it", {{"attempts", attempts}});
        return;
    }
    // The person's turn (a typed message, a page button) came while the model was still
    // answering: it is answered once that answer is over instead of being dropped.
    json retry = response_create();
    const std::string id = "calrt_retry_" + std::to_string(++response_requests_sent_);
    retry["event_id"] = id;
    retries_.emplace(id, attempts);
    std::vector<json> events;
    events.push_back(std::move(retry));
    when_idle_.push_back(std::move(events));
    send_queued_if_idle();
}

void RealtimeSession::send_queued_if_idle() {
    while (!when_idle_.empty() && loop_.idle() && !closing_) {
        auto events = std::move(when_idle_.front());
        when_idle_.pop_front();
        for (const auto& event : events) send(event);  // a response.create here ends the idle
    }
}

void RealtimeSession::apply(FunctionCallLoop::Steps steps) {
    for (const auto& call : steps.not_run) {
        log::info("a call with an effect was not run: its response was cancelled",
                  {{"tool", call.name}, {"response_id", call.response_id}});
        socket_.send(serialized(call_not_run_output(call.call_id)));
    }
    for (const auto& call : steps.run) start_call(call);
    if (steps.request_response && !closing_) {
        json request = response_create();
        const std::string id = "calrt_continue_" + std::to_string(++response_requests_sent_);
        request["event_id"] = id;
        loop_.response_requested(id, true);
        socket_.send(serialized(request));
    }
    send_queued_if_idle();
}

void RealtimeSession::send_user_text(std::string_view text) {
    send(user_text_message(text));
    send(response_create());
}

void RealtimeSession::abort(std::string reason) {
    asio::dispatch(strand_, [self = shared_from_this(), reason = std::move(reason)]() mutable {
        if (!self->closing_) {
            self->closing_ = true;
            self->close_reason_ = std::move(reason);
        }
        self->socket_.abort();
    });
}

asio::awaitable<void> RealtimeSession::close(std::string reason) {
    co_await asio::co_spawn(strand_, mark_closing(shared_from_this(), reason), asio::use_awaitable);
    co_await socket_.close(net::close_code::normal, std::move(reason));
}

asio::awaitable<void> RealtimeSession::mark_closing(std::shared_ptr<RealtimeSession> self,
                                                    std::string reason) {
    if (!self->closing_) {
        self->closing_ = true;
        self->close_reason_ = std::move(reason);
    }
    co_return;
}

asio::awaitable<Error> RealtimeSession::read_loop(std::shared_ptr<RealtimeSession> self) {
    Error reason;
    for (;;) {
        auto message = co_await self->socket_.read();
        if (!message) {
            reason = self->end_reason(message.error());
            break;
        }
        self->handle(*message);
    }
    log::info("realtime session ended", {{"code", reason.code}, {"reason", reason.message}});
    self->observer_->on_session_ended(reason);
    co_return reason;
}

Error RealtimeSession::end_reason(const Error& read_error) const {
    if (closing_) {
        return Error::make(ErrorKind::unavailable, "closed",
                           "the session was closed here: " + close_reason_);
    }
    if (read_error.code == "closed") {
        return Error::make(ErrorKind::upstream_failed, "upstream_closed",
                           "the Realtime API ended the session: " + read_error.message);
    }
    return read_error;
}

void RealtimeSession::handle(const std::string& text) {
    // Speech and its transcript stream in as many small deltas a second; they start nothing here,
    // so in their usual flat shape they go to the observer without being parsed.
    if (const auto flat = FlatJsonObject::read(text)) {
        if (const auto type = flat->string("type"); type && is_streamed_delta(*type)) {
            observer_->on_server_event(*type, text);
            return;
        }
    }
    auto event = parse_server_event(text);
    if (!event) {
        log::warn("ignoring a Realtime message that is not a JSON event", {{"bytes", text.size()}});
        return;
    }
    observer_->on_server_event(event->type, text);
    if (auto error = upstream_error(*event)) {
        log::warn("realtime API reported an error", {{"type", error->type},
                                                     {"code", error->code},
                                                     {"message", error->message},
                                                     {"event_id", error->event_id}});
        observer_->on_upstream_error(*error);
        if (error->code == "conversation_already_has_active_response") retry_when_idle(error->event_id);
    }
    apply(loop_.on_server_event(*event));
}

void RealtimeSession::start_call(const FunctionCall& call) {
    // Once the session is closing (the person left), a call read now must not act: it could book.
    if (closing_) return;
    observer_->on_tool_started(ToolCallInfo{call.call_id, call.name, call.response_id, call.arguments});
    asio::co_spawn(strand_, run_call(shared_from_this(), call), asio::detached);
}

asio::awaitable<void> RealtimeSession::run_call(std::shared_ptr<RealtimeSession> self,
                                                FunctionCall call) {
    const auto started = steady_clock::now();
    // The tool runs on the plain executor: its work never holds up the strand reading events.
    const json output = co_await asio::co_spawn(
        self->executor_,
        self->tools_.dispatch(call.name, call.arguments, self->options_.tool_timeout),
        asio::use_awaitable);
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - started);
    self->observer_->on_tool_finished(ToolCallInfo{call.call_id, call.name, call.response_id, call.arguments},
                                      output, took);
    if (auto sent =
            co_await self->socket_.write(serialized(function_call_output(call.call_id, output)));
        !sent) {
        log::warn("could not send a function call output",
                  {{"tool", call.name}, {"error", sent.error().message}});
    }
    self->apply(self->loop_.output_sent(call.call_id));
}

}  // namespace calrt::realtime
