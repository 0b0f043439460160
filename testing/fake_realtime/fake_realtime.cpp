#include "testing/fake_realtime/fake_realtime.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <stdexcept>

#include "calrt/core/secret.hpp"
#include "calrt/net/websocket_accept.hpp"
#include "calrt/server/upgrade_connection.hpp"
#include "testing/fake_realtime/fake_connection.hpp"
#include "testing/fake_realtime/fake_realtime_state.hpp"
#include "testing/fake_realtime/fake_sideband.hpp"

namespace calrt::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

namespace {

constexpr std::string_view kPath = "/v1/realtime";

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
}

// An HTTP error answer instead of the upgrade, in OpenAI's error shape, and the connection closed.
asio::awaitable<void> refuse_upgrade(server::UpgradeConnection& connection, http::status status,
                                     std::string body) {
    http::response<http::string_body> response{status, connection.request.version()};
    response.set(http::field::content_type, "application/json");
    response.body() = std::move(body);
    response.keep_alive(false);
    response.prepare_payload();
    connection.stream.expires_after(std::chrono::seconds(5));
    co_await http::async_write(connection.stream, response, asio::as_tuple(asio::use_awaitable));
    boost::system::error_code ignored;
    connection.stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

// What OpenAI answers to a wrong key: 401 before any upgrade.
asio::awaitable<void> refuse_unauthorized(server::UpgradeConnection& connection) {
    co_await refuse_upgrade(connection, http::status::unauthorized,
                            R"({"error":{"type":"invalid_request_error","code":"invalid_api_key",)"
                            R"("message":"Incorrect API key provided."}})");
}

std::string query_param_of(std::string_view target, std::string_view name) {
    auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) return {};
    auto found = parsed->params().find(name);
    return found != parsed->params().end() ? std::string((*found).value) : std::string();
}

std::string model_of(std::string_view target) { return query_param_of(target, "model"); }

// A sideband connection names its call instead of a model (openai-node src/realtime/internal-base.ts
// buildRealtimeURL: exactly one of model, call_id, intent). OpenAI does not document its answer to
// a call that is not up; the fake answers 404 call_id_not_found before the upgrade.
asio::awaitable<void> refuse_unknown_call(server::UpgradeConnection& connection) {
    co_await refuse_upgrade(connection, http::status::not_found,
                            R"({"error":{"type":"invalid_request_error","code":"call_id_not_found",)"
                            R"("message":"No session found for the provided call_id"}})");
}

asio::awaitable<void> serve_upgrade(std::shared_ptr<FakeRealtime::State> state, std::shared_ptr<FakeCalls> calls,
                                    std::unique_ptr<server::UpgradeConnection> connection) {
    const auto& options = state->options;
    if (!options.api_key.empty()) {
        const auto authorization = connection->request[http::field::authorization];
        if (!constant_time_equal(authorization, "Bearer " + options.api_key)) {
            {
                std::lock_guard lock(state->mutex);
                ++state->rejected;
            }
            co_await refuse_unauthorized(*connection);
            co_return;
        }
    }
    std::string model = model_of(connection->request.target());
    const std::string call_id = query_param_of(connection->request.target(), "call_id");
    if (!call_id.empty() && calls->state(call_id) != FakeCallState::accepted) {
        co_await refuse_unknown_call(*connection);
        co_return;
    }
    {
        std::lock_guard lock(state->mutex);
        ++state->upgrading;
    }
    if (const std::chrono::milliseconds latency{state->latency_ms.load()}; latency.count() > 0) {
        asio::steady_timer timer(connection->stream.get_executor(), latency);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    net::WebSocketOptions socket_options;
    socket_options.idle_timeout =
        std::chrono::milliseconds(0);  // the client decides when to give up
    socket_options.max_message_bytes = 16 * 1024 * 1024;
    auto accepted = co_await net::accept_websocket(std::move(connection->stream),
                                                   std::move(connection->request), socket_options);
    if (!accepted) {
        std::lock_guard lock(state->mutex);
        --state->upgrading;
        co_return;
    }
    auto socket = std::make_shared<net::WebSocket>(std::move(*accepted));
    std::uint64_t id = 0;
    {
        std::lock_guard lock(state->mutex);
        --state->upgrading;
        ++state->accepted;
        state->last_model = model;
        if (!call_id.empty()) state->sideband_call_ids.push_back(call_id);
        id = state->next_connection_id++;
        state->connections.emplace(id, socket);
    }
    co_await serve_fake_realtime_connection(state, socket, std::move(model), call_id);
    std::lock_guard lock(state->mutex);
    state->connections.erase(id);
}

// A named coroutine rather than a lambda: GCC 12 destroys the temporaries of a co_await
// expression inside a lambda coroutine twice.
asio::awaitable<void> close_connection(std::shared_ptr<net::WebSocket> socket, std::uint16_t code,
                                       std::string reason) {
    co_await socket->close(code, std::move(reason));
}

}  // namespace

FakeTurn FakeTurn::calling(std::vector<FakeToolCall> calls, Answer answer) {
    FakeTurn turn;
    turn.calls = std::move(calls);
    turn.answer = std::move(answer);
    return turn;
}

FakeTurn FakeTurn::saying(std::string text) {
    FakeTurn turn;
    turn.answer = [text = std::move(text)](const std::vector<json>&) { return text; };
    return turn;
}

FakeTurn FakeTurn::failing(json error) {
    FakeTurn turn;
    turn.error = std::move(error);
    return turn;
}

std::optional<FakeTurn> FakeRealtime::State::scripted_turn(std::string_view text) const {
    const std::string lower = lowercase(text);
    std::lock_guard lock(mutex);
    for (const auto& [phrase, turn] : script) {
        if (lower.find(lowercase(phrase)) != std::string::npos) return turn;
    }
    return std::nullopt;
}

FakeRealtime::FakeRealtime(asio::io_context& io, FakeRealtimeOptions options)
    : state_(std::make_shared<State>(std::move(options))) {
    state_->executor = io.get_executor();
    state_->calls = calls_;
    // When a call ends, its sideband closes (fake_sideband.hpp). Weak: the routes hold calls_.
    calls_->on_state_change([weak = std::weak_ptr<State>(state_)](const std::string& call_id,
                                                                   FakeCallState call_state) {
        if (call_state != FakeCallState::ended && call_state != FakeCallState::hung_up &&
            call_state != FakeCallState::referred)
            return;
        if (auto state = weak.lock()) end_sideband(state, call_id, call_state);
    });
    ServerConfig config;
    config.host = state_->options.host;
    config.port = state_->options.port;
    config.limits.max_connections_per_address = config.limits.max_connections;  // loopback clients only
    add_models_route(state_->router, models_, state_->options.api_key);
    add_call_control_routes(state_->router, calls_, state_->options.api_key);
    server_ = std::make_unique<server::HttpServer>(io, config, state_->router, state_->metrics);
    server_->on_upgrade(std::string(kPath),
                        [state = state_, calls = calls_](std::unique_ptr<server::UpgradeConnection> connection) {
                            return serve_upgrade(state, calls, std::move(connection));
                        });
}

FakeRealtime::~FakeRealtime() {
    std::lock_guard lock(state_->mutex);
    for (auto& [id, socket] : state_->connections) socket->abort();
}

void FakeRealtime::start() { server_->start(); }

void FakeRealtime::stop() {
    {
        std::lock_guard lock(state_->mutex);
        for (auto& [id, socket] : state_->connections) socket->abort();
    }
    server_->shutdown(std::chrono::milliseconds(0), nullptr);
}

std::uint16_t FakeRealtime::port() const { return server_->port(); }

std::string FakeRealtime::url() const {
    return "ws://" + state_->options.host + ":" + std::to_string(port()) + std::string(kPath);
}

std::string FakeRealtime::rest_url() const {
    return "http://" + state_->options.host + ":" + std::to_string(port()) + "/v1";
}

void FakeRealtime::on_user_text(std::string phrase, FakeTurn turn) {
    std::lock_guard lock(state_->mutex);
    state_->script.emplace_back(std::move(phrase), std::move(turn));
}

void FakeRealtime::on_speech(FakeTurn turn) {
    std::lock_guard lock(state_->mutex);
    state_->speech_turns.push_back(std::move(turn));
}

void FakeRealtime::finish_held_responses() {
    std::vector<std::shared_ptr<HeldResponses>> conversations;
    {
        std::lock_guard lock(state_->mutex);
        for (const auto& weak : state_->conversations) {
            if (auto conversation = weak.lock()) conversations.push_back(std::move(conversation));
        }
    }
    // Outside the state's lock: a conversation takes its own lock, then the state's.
    for (const auto& conversation : conversations) conversation->finish_held_responses();
}

void FakeRealtime::set_latency(std::chrono::milliseconds latency) {
    state_->latency_ms = latency.count();
}

void FakeRealtime::close_connections(std::uint16_t code, std::string reason) {
    std::lock_guard lock(state_->mutex);
    for (auto& [id, socket] : state_->connections) {
        asio::co_spawn(state_->executor, close_connection(socket, code, reason), asio::detached);
    }
}

void FakeRealtime::drop_connections() {
    std::lock_guard lock(state_->mutex);
    for (auto& [id, socket] : state_->connections) {
        asio::post(state_->executor, [socket] { socket->abort(); });
    }
}

std::vector<json> FakeRealtime::session_updates() const {
    std::lock_guard lock(state_->mutex);
    return state_->session_updates;
}

std::vector<json> FakeRealtime::function_call_outputs() const {
    std::lock_guard lock(state_->mutex);
    return state_->function_call_outputs;
}

std::vector<std::string> FakeRealtime::user_texts() const {
    std::lock_guard lock(state_->mutex);
    return state_->user_texts;
}

std::vector<std::string> FakeRealtime::system_texts() const {
    std::lock_guard lock(state_->mutex);
    return state_->system_texts;
}

std::vector<std::string> FakeRealtime::client_event_types() const {
    std::lock_guard lock(state_->mutex);
    return state_->client_event_types;
}

std::vector<std::size_t> FakeRealtime::outputs_before_response_create() const {
    std::lock_guard lock(state_->mutex);
    return state_->outputs_before_response_create;
}

std::vector<FakeToolRoundTrip> FakeRealtime::tool_round_trips() const {
    std::lock_guard lock(state_->mutex);
    return state_->tool_round_trips;
}

std::vector<json> FakeRealtime::errors_sent() const {
    std::lock_guard lock(state_->mutex);
    return state_->errors_sent;
}

std::vector<std::string> FakeRealtime::response_statuses() const {
    std::lock_guard lock(state_->mutex);
    return state_->response_statuses;
}

std::size_t FakeRealtime::connections_accepted() const {
    std::lock_guard lock(state_->mutex);
    return state_->accepted;
}

std::size_t FakeRealtime::connections_rejected() const {
    std::lock_guard lock(state_->mutex);
    return state_->rejected;
}

std::size_t FakeRealtime::open_connections() const {
    std::lock_guard lock(state_->mutex);
    return state_->connections.size() + state_->upgrading;
}

std::vector<std::string> FakeRealtime::sideband_call_ids() const {
    std::lock_guard lock(state_->mutex);
    return state_->sideband_call_ids;
}

void FakeRealtime::caller_says(std::string call_id, std::string transcript) {
    act_as_caller(state_, call_id, {CallerAction::Kind::says, std::move(transcript)});
}

void FakeRealtime::caller_presses(std::string call_id, std::string digits) {
    for (const char key : digits) {
        // The keypad: "0–9, *, #, A–D" (the OpenAPI spec's
        // RealtimeServerEventInputAudioBufferDtmfEventReceived).
        const bool keypad = (key >= '0' && key <= '9') || key == '*' || key == '#' ||
                            (key >= 'A' && key <= 'D');
        if (!keypad) throw std::invalid_argument("not a telephone keypad key: " + digits);
    }
    act_as_caller(state_, call_id, {CallerAction::Kind::presses, std::move(digits)});
}

void FakeRealtime::caller_hangs_up(std::string call_id) {
    act_as_caller(state_, call_id, {CallerAction::Kind::hangs_up, {}});
}

std::vector<std::string> FakeRealtime::assistant_said(const std::string& call_id) const {
    std::lock_guard lock(state_->mutex);
    const auto found = state_->sideband_calls.find(call_id);
    return found != state_->sideband_calls.end() ? found->second.assistant_said
                                                 : std::vector<std::string>{};
}

bool FakeRealtime::sideband_open(const std::string& call_id) const {
    std::lock_guard lock(state_->mutex);
    const auto found = state_->sideband_calls.find(call_id);
    return found != state_->sideband_calls.end() && found->second.connected;
}

std::string FakeRealtime::last_model() const {
    std::lock_guard lock(state_->mutex);
    return state_->last_model;
}

}  // namespace calrt::testing
