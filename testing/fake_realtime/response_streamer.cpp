#include "testing/fake_realtime/response_streamer.hpp"

namespace calrt::testing {

using nlohmann::json;

namespace {

std::string serialized(const json& event) {
    return event.dump(-1, ' ', false, json::error_handler_t::replace);
}

// 20 ms of silence as base64 PCM16 at 24 kHz: 480 zero samples, 960 zero bytes.
std::string silent_audio_base64() { return std::string(1280, 'A'); }

}  // namespace

std::vector<std::string> split_into_pieces(const std::string& text, std::size_t pieces) {
    std::vector<std::string> out;
    if (pieces <= 1 || text.size() <= pieces) {
        out.push_back(text);
        return out;
    }
    const std::size_t step = (text.size() + pieces - 1) / pieces;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.size(), start + step);
        // Never split a UTF-8 sequence: move the cut past continuation bytes.
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
        out.push_back(text.substr(start, end - start));
        start = end;
    }
    return out;
}

std::string ResponseStreamer::next_id(std::string_view prefix) {
    return std::string(prefix) + "_fake" + std::to_string(next_++);
}

void ResponseStreamer::send(json event) {
    event["event_id"] = next_id("event");
    socket_.send(serialized(event));
}

json ResponseStreamer::response_created() {
    json response = {{"id", next_id("resp")},
                     {"object", "realtime.response"},
                     {"status", "in_progress"},
                     {"output", json::array()}};
    send({{"type", "response.created"}, {"response", response}});
    return response;
}

void ResponseStreamer::response_done(const std::string& response_id, json output) {
    send({{"type", "response.done"},
          {"response",
           {{"id", response_id},
            {"object", "realtime.response"},
            {"status", "completed"},
            {"output", std::move(output)}}}});
}

std::vector<std::string> ResponseStreamer::call_functions(const std::vector<FakeToolCall>& calls,
                                                          std::size_t pieces) {
    const std::string response_id = response_created()["id"];
    json output = json::array();
    std::vector<std::string> call_ids;
    for (std::size_t index = 0; index < calls.size(); ++index) {
        const auto& call = calls[index];
        const std::string arguments = call.arguments.dump();
        json item = {{"id", next_id("item")},   {"object", "realtime.item"},
                     {"type", "function_call"}, {"status", "in_progress"},
                     {"name", call.name},       {"call_id", next_id("call")},
                     {"arguments", ""}};
        const json where = {{"response_id", response_id},
                            {"item_id", item["id"]},
                            {"output_index", index},
                            {"call_id", item["call_id"]}};
        send({{"type", "response.output_item.added"},
              {"response_id", response_id},
              {"output_index", index},
              {"item", item}});
        send({{"type", "conversation.item.added"}, {"item", item}});
        for (const auto& piece : split_into_pieces(arguments, pieces)) {
            json delta = where;
            delta["type"] = "response.function_call_arguments.delta";
            delta["delta"] = piece;
            send(std::move(delta));
        }
        json done = where;
        done["type"] = "response.function_call_arguments.done";
        done["name"] = call.name;
        done["arguments"] = arguments;
        send(std::move(done));
        item["status"] = "completed";
        item["arguments"] = arguments;
        send({{"type", "response.output_item.done"},
              {"response_id", response_id},
              {"output_index", index},
              {"item", item}});
        send({{"type", "conversation.item.done"}, {"item", item}});
        call_ids.push_back(item["call_id"]);
        output.push_back(std::move(item));
    }
    response_done(response_id, std::move(output));
    return call_ids;
}

void ResponseStreamer::answer(const std::string& text, bool spoken) {
    const std::string response_id = response_created()["id"];
    json item = {{"id", next_id("item")}, {"object", "realtime.item"}, {"type", "message"},
                 {"role", "assistant"},   {"status", "in_progress"},   {"content", json::array()}};
    const json where = {{"response_id", response_id},
                        {"item_id", item["id"]},
                        {"output_index", 0},
                        {"content_index", 0}};
    send({{"type", "response.output_item.added"},
          {"response_id", response_id},
          {"output_index", 0},
          {"item", item}});
    send({{"type", "conversation.item.added"}, {"item", item}});
    const std::string delta_type =
        spoken ? "response.output_audio_transcript.delta" : "response.output_text.delta";
    for (const auto& piece : split_into_pieces(text, 3)) {
        json delta = where;
        delta["type"] = delta_type;
        delta["delta"] = piece;
        send(std::move(delta));
        if (spoken) {
            json audio = where;
            audio["type"] = "response.output_audio.delta";
            audio["delta"] = silent_audio_base64();
            send(std::move(audio));
        }
    }
    json done = where;
    if (spoken) {
        done["type"] = "response.output_audio.done";
        send(done);
        done["type"] = "response.output_audio_transcript.done";
        done["transcript"] = text;
    } else {
        done["type"] = "response.output_text.done";
        done["text"] = text;
    }
    send(std::move(done));
    item["status"] = "completed";
    item["content"] = spoken ? json::array({{{"type", "output_audio"}, {"transcript", text}}})
                             : json::array({{{"type", "output_text"}, {"text", text}}});
    send({{"type", "response.output_item.done"},
          {"response_id", response_id},
          {"output_index", 0},
          {"item", item}});
    send({{"type", "conversation.item.done"}, {"item", item}});
    response_done(response_id, json::array({item}));
}

}  // namespace calrt::testing
