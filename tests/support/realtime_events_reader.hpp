#pragma once
// The browser's side of the Realtime relay in tests: user messages to send, and reading server
// events until the one a test waits for, each read under its own deadline (pings keep an idle
// socket open, so the socket's own idle timeout never fires).

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calrt/net/websocket.hpp"
#include "support/io_threads.hpp"

namespace calrt::test {

struct EventLog {
    std::vector<nlohmann::json> events;  // parsed (discarded JSON when not JSON)
    std::vector<std::string> texts;      // as received
    std::string ended_with;              // the read error that ended read_events_until, if one did
};

// Reads events into `log` until one satisfies `done` (true), or the socket ends (false, with
// `log.ended_with` set), or none arrives within `per_event` (false, a test failure).
bool read_events_until(IoThreads& io, net::WebSocket& socket, EventLog& log,
                       const std::function<bool(const nlohmann::json&)>& done,
                       std::chrono::milliseconds per_event = std::chrono::seconds(5));

std::function<bool(const nlohmann::json&)> event_of_type(std::string type);

// conversation.item.create with a user message of `text` (input_text).
nlohmann::json user_message(const std::string& text);

}  // namespace calrt::test
