#pragma once
// How one fake Realtime connection sends server events: a fresh event_id on each, ids unique on
// the connection, the id of the conversation's last item (the previous_item_id of the next one),
// and a look at every event sent (for the fake's recordings).

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "calrt/net/websocket.hpp"

namespace calrt::testing {

class EventSender {
  public:
    using Watcher = std::function<void(const nlohmann::json& event)>;

    EventSender(std::shared_ptr<net::WebSocket> socket, Watcher watcher)
        : socket_(std::move(socket)), watcher_(std::move(watcher)) {}

    // "<prefix>_fake<n>", unique on this connection.
    std::string next_id(std::string_view prefix);
    // Sends `event` with a fresh event_id.
    void send(nlohmann::json event);
    // Sends `event` as it is, for the few server events whose schema has no event_id.
    void send_as_is(const nlohmann::json& event);
    // The id of the last item added to the conversation; null before the first.
    nlohmann::json last_item_id() const { return last_item_id_; }

  private:
    std::shared_ptr<net::WebSocket> socket_;  // kept: a test may finish a response after the end
    Watcher watcher_;
    std::uint64_t next_ = 1;
    nlohmann::json last_item_id_ = nullptr;
};

}  // namespace calrt::testing
