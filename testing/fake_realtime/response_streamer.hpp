#pragma once
// One response of the fake Realtime server as a small state machine, shaped like the API's (GA
// event names; research/openai.md §2): response.created, then per output item
// response.output_item.added + conversation.item.added, its deltas, its closing events
// (function_call_arguments.done or output_text/audio .done), output_item.done +
// conversation.item.done, and finally response.done.
//
// It can stop part way (FakeHold) and stay in progress until it is finished (the rest, then
// response.done "completed") or cancelled. Cancelling closes what is still streaming as the real
// server does ("Also emitted when a Response is interrupted, incomplete, or cancelled",
// openai-python response_function_call_arguments_done_event.py and
// response_output_item_done_event.py): function_call_arguments.done with the arguments so far and
// output_item.done with item status "incomplete"; items not yet begun are left out; response.done
// has status "cancelled" and status_details {"type":"cancelled","reason":...}
// (realtime_response_status.py: turn_detected or client_cancelled).

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "testing/fake_realtime/event_sender.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"

namespace calrt::testing {

struct ResponseSettings {
    bool spoken = false;          // audio (transcript + audio deltas) rather than text
    std::string voice = "marin";  // reported in response.audio.output.voice
    std::size_t argument_pieces = 3;
    // The response.create's response.metadata, echoed in the response as the API does
    // (RealtimeResponse.metadata, openai-python realtime_response.py); null when none was given.
    nlohmann::json metadata = nullptr;
};

class FakeResponse {
  public:
    // A response calling each of `calls`.
    static FakeResponse calling(EventSender& out, const ResponseSettings& settings,
                                const std::vector<FakeToolCall>& calls);
    // A response saying `text`.
    static FakeResponse saying(EventSender& out, const ResponseSettings& settings,
                               const std::string& text);

    // Sends response.created and streams up to `hold`: FakeHold::none streams it all and ends it
    // (response.done "completed"); after_items completes every function call (a message: sends
    // its first delta); mid_arguments sends part of the first call's arguments. `after_created`,
    // when set, runs right after response.created (to interleave an event the server sends
    // asynchronously, such as an input transcription).
    void start(FakeHold hold, const std::function<void()>& after_created = {});
    // The rest of the events, then response.done "completed".
    void finish();
    // Closes what is streaming as incomplete, then response.done "cancelled" with `reason`.
    void cancel(std::string_view reason);

    bool in_progress() const { return started_ && !ended_; }
    const std::string& id() const { return id_; }
    const std::string& status() const { return status_; }
    // The call_ids of the function_call items sent so far (whatever their status).
    std::vector<std::string> call_ids_sent() const;
    // The call_ids of the function_call items that completed.
    std::vector<std::string> completed_call_ids() const;

  private:
    struct Item {
        nlohmann::json item;  // as output_item.added showed it
        std::vector<std::string> pieces;
        std::size_t pieces_sent = 0;
        bool added = false;
        bool closed = false;
        bool call() const { return item.value("type", "") == "function_call"; }
    };

    FakeResponse(EventSender& out, ResponseSettings settings);

    void add(std::size_t index);
    void stream_piece(std::size_t index);
    void close(std::size_t index, const std::string& status);
    void end(const std::string& status, nlohmann::json status_details);
    nlohmann::json response_json(const std::string& status, nlohmann::json status_details,
                                 nlohmann::json output) const;

    EventSender* out_;
    ResponseSettings settings_;
    std::string id_;
    std::vector<Item> items_;
    std::string status_ = "in_progress";
    bool started_ = false;
    bool ended_ = false;
};

// `text` cut into about `pieces` parts that join back to it.
std::vector<std::string> split_into_pieces(const std::string& text, std::size_t pieces);

}  // namespace calrt::testing
