#include "testing/fake_realtime/fake_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "testing/fake_realtime/fake_conversation.hpp"
#include "testing/fake_realtime/fake_sideband.hpp"

namespace calrt::testing {
namespace asio = boost::asio;
using nlohmann::json;

boost::asio::awaitable<void> serve_fake_realtime_connection(
    std::shared_ptr<FakeRealtime::State> state, std::shared_ptr<net::WebSocket> socket,
    std::string model, std::string call_id) {
    // A sideband's session is the configuration its call was accepted with ("Session
    // configuration to apply before the caller is bridged to the model", the OpenAPI spec's
    // accept request body).
    const nlohmann::json accepted =
        call_id.empty() ? nlohmann::json(nullptr)
                        : state->calls->accepted_session(call_id).value_or(nlohmann::json(nullptr));
    auto conversation = std::make_shared<FakeConversation>(state, socket, model, call_id, accepted);
    {
        std::lock_guard lock(state->mutex);
        std::erase_if(state->conversations, [](const auto& weak) { return weak.expired(); });
        state->conversations.push_back(conversation);
    }
    if (!call_id.empty()) sideband_connected(*state, call_id, conversation, socket);
    conversation->start();
    if (!call_id.empty()) sideband_ready(state, call_id, *conversation);
    for (;;) {
        auto message = co_await socket->read();
        if (!message) break;
        auto event = json::parse(*message, nullptr, false);
        if (event.is_discarded() || !event.is_object() || !event.contains("type") ||
            !event["type"].is_string()) {
            conversation->unreadable_message();
            continue;
        }
        if (state->options.on_client_event) state->options.on_client_event(event);
        if (const std::chrono::milliseconds latency{state->latency_ms.load()};
            latency.count() > 0 && event["type"] == "session.update") {
            asio::steady_timer timer(co_await asio::this_coro::executor, latency);
            co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        conversation->handle(event);
    }
    if (!call_id.empty()) sideband_closed(*state, call_id, socket);
}

}  // namespace calrt::testing
