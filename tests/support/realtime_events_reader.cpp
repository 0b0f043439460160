#include "support/realtime_events_reader.hpp"

#include <gtest/gtest.h>

namespace calrt::test {

using nlohmann::json;

bool read_events_until(IoThreads& io, net::WebSocket& socket, EventLog& log,
                       const std::function<bool(const json&)>& done,
                       std::chrono::milliseconds per_event) {
    for (;;) {
        auto pending = io.spawn(socket.read());
        if (pending.wait_for(per_event) != std::future_status::ready) {
            socket.abort();
            pending.wait();
            ADD_FAILURE() << "no event within " << per_event.count()
                          << " ms; last seen: " << (log.texts.empty() ? "" : log.texts.back());
            return false;
        }
        auto text = pending.get();
        if (!text) {
            log.ended_with = text.error().code;
            return false;
        }
        log.texts.push_back(*text);
        log.events.push_back(json::parse(*text, nullptr, false));
        if (done(log.events.back())) return true;
    }
}

std::function<bool(const json&)> event_of_type(std::string type) {
    return [type = std::move(type)](const json& event) {
        return event.is_object() && event.value("type", "") == type;
    };
}

json user_message(const std::string& text) {
    json content = json::array();
    content.push_back(json{{"type", "input_text"}, {"text", text}});
    return json{{"type", "conversation.item.create"},
                {"item", json{{"type", "message"}, {"role", "user"}, {"content", content}}}};
}

}  // namespace calrt::test
