#pragma once
// The server-event sequences of one fake Realtime connection, shaped like the API's (GA names):
// a response that calls functions, and a response that answers in text or in speech.

#include <string>
#include <string_view>
#include <vector>

#include "calrt/net/websocket.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"

namespace calrt::testing {

class ResponseStreamer {
  public:
    explicit ResponseStreamer(net::WebSocket& socket) : socket_(socket) {}

    // "<prefix>_<n>", unique on this connection.
    std::string next_id(std::string_view prefix);
    // Sends `event` with a fresh event_id.
    void send(nlohmann::json event);

    // One response calling each of `calls`: response.created; per call output_item.added,
    // conversation.item.added, `pieces` function_call_arguments.delta, .done, output_item.done,
    // conversation.item.done; then response.done listing the calls. Returns their call_ids.
    std::vector<std::string> call_functions(const std::vector<FakeToolCall>& calls,
                                            std::size_t pieces);

    // One response saying `text`: output_text deltas, or (spoken) output_audio_transcript deltas
    // with silent output_audio, ending in response.done.
    void answer(const std::string& text, bool spoken);

  private:
    nlohmann::json response_created();
    void response_done(const std::string& response_id, nlohmann::json output);

    net::WebSocket& socket_;
    std::uint64_t next_ = 1;
};

// `text` cut into about `pieces` parts that join back to it.
std::vector<std::string> split_into_pieces(const std::string& text, std::size_t pieces);

}  // namespace calrt::testing
