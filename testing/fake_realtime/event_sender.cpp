#include "testing/fake_realtime/event_sender.hpp"

namespace calrt::testing {

using nlohmann::json;

std::string EventSender::next_id(std::string_view prefix) {
    return std::string(prefix) + "_fake" + std::to_string(next_++);
}

void EventSender::send(json event) {
    event["event_id"] = next_id("event");
    if (event.value("type", "") == "conversation.item.added" && event.contains("item"))
        last_item_id_ = event["item"].value("id", json());
    if (watcher_) watcher_(event);
    socket_->send(event.dump(-1, ' ', false, json::error_handler_t::replace));
}

void EventSender::send_as_is(const json& event) {
    if (watcher_) watcher_(event);
    socket_->send(event.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace calrt::testing
