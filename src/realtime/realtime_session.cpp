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

std::string serialized(const json& event) {
    // A user's text can hold invalid UTF-8; replacing it beats throwing mid-conversation.
    return event.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool is_streamed_delta(std::string_view type) {
    return type == event_type::output_audio_delta || type == event_type::output_audio_transcript_delta ||
           type == event_type::output_text_delta;
}

}  // namespace

Result<std::string> realtime_session_url(std::string_view base_url, std::string_view model) {
    auto parsed = boost::urls::parse_uri(base_url);
    if (!parsed) {
        return Error::make(ErrorKind::invalid_argument, "invalid_url",
                           "the Realtime URL '" + std::string(base_url) + "' is not a URL");
    }
    boost::urls::url url(*parsed);
    url.params().set("model", model);
    return std::string(url.buffer());
}

RealtimeSession::RealtimeSession(Token, asio::any_io_executor executor,
                                 const tools::ToolRegistry& tools, RealtimeSessionOptions options,
                                 std::shared_ptr<RealtimeObserver> observer, net::WebSocket socket)
    : executor_(executor),
      strand_(asio::make_strand(executor)),
      tools_(tools),
      options_(std::move(options)),
      observer_(observer ? std::move(observer) : std::make_shared<RealtimeObserver>()),
      socket_(std::move(socket)) {}

asio::awaitable<Result<std::shared_ptr<RealtimeSession>>> RealtimeSession::connect(
    asio::any_io_executor executor, const tools::ToolRegistry& tools,
    RealtimeSessionOptions options, std::shared_ptr<RealtimeObserver> observer) {
    auto url = realtime_session_url(options.url, options.model);
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

    const SessionConfig config{options.instructions, options.output_modalities, options.voice,
                               tools.specs(), "auto"};
    auto update = session_update(config);
    const std::string model = options.model;
    auto session = std::make_shared<RealtimeSession>(Token{}, executor, tools, std::move(options),
                                                     std::move(observer), std::move(*socket));
    session->session_config_ = update["session"];
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
    asio::dispatch(strand_, [self = shared_from_this(), id = request["event_id"].get<std::string>()] {
        self->responses_requested_.push_back(id);
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

void RealtimeSession::send_queued_if_idle() {
    while (!when_idle_.empty() && !response_active_ && responses_requested_.empty() &&
           ledger_.running_calls() == 0 && !closing_) {
        auto events = std::move(when_idle_.front());
        when_idle_.pop_front();
        for (const auto& event : events) send(event);  // a response.create here ends the idle
    }
}

void RealtimeSession::track_responses(const ServerEvent& event) {
    if (event.type == event_type::response_created) {
        response_active_ = true;
        // response.created does not name the request; requests are answered in order.
        if (!responses_requested_.empty()) responses_requested_.pop_front();
    } else if (event.type == event_type::response_done) {
        response_active_ = false;
    } else if (auto error = upstream_error(event); error && !error->event_id.empty()) {
        // A refused response.create (e.g. conversation_already_has_active_response) will never
        // produce a response.
        std::erase(responses_requested_, error->event_id);
    }
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
    track_responses(*event);

    if (auto call = completed_function_call(*event)) {
        start_call(*call);
    } else if (auto done = response_done(*event)) {
        // response.done lists the response's items too: a last chance to see a call not announced
        // separately.
        for (const auto& listed : function_calls_in_response(*event)) start_call(listed);
        if (ledger_.response_done(done->response_id, done->status)) send(response_create());
        send_queued_if_idle();
    } else if (auto error = upstream_error(*event)) {
        log::warn("realtime API reported an error", {{"type", error->type},
                                                     {"code", error->code},
                                                     {"message", error->message},
                                                     {"event_id", error->event_id}});
        observer_->on_upstream_error(*error);
        send_queued_if_idle();
    }
}

void RealtimeSession::start_call(const FunctionCall& call) {
    // Once the session is closing (the person left), a call read now must not act: it could book.
    if (closing_ || !ledger_.announce(call)) return;
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
    if (self->ledger_.call_finished(call.call_id)) self->send(response_create());
    self->send_queued_if_idle();
}

}  // namespace calrt::realtime
