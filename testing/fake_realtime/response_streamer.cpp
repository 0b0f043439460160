#include "testing/fake_realtime/response_streamer.hpp"

#include <algorithm>

namespace calrt::testing {

using nlohmann::json;

namespace {

// 20 ms of silence as base64 PCM16 at 24 kHz: 480 zero samples, 960 zero bytes.
std::string silent_audio_base64() { return std::string(1280, 'A'); }

std::string joined(const std::vector<std::string>& pieces, std::size_t count) {
    std::string text;
    for (std::size_t i = 0; i < count && i < pieces.size(); ++i) text += pieces[i];
    return text;
}

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

FakeResponse::FakeResponse(EventSender& out, ResponseSettings settings)
    : out_(&out), settings_(std::move(settings)), id_(out.next_id("resp")) {}

FakeResponse FakeResponse::calling(EventSender& out, const ResponseSettings& settings,
                                   const std::vector<FakeToolCall>& calls) {
    FakeResponse response(out, settings);
    for (const auto& call : calls) {
        const std::string arguments = call.arguments.dump();
        Item item;
        item.item = {{"id", out.next_id("item")},   {"object", "realtime.item"},
                     {"type", "function_call"},     {"status", "in_progress"},
                     {"name", call.name},           {"call_id", out.next_id("call")},
                     {"arguments", ""}};
        item.pieces = split_into_pieces(arguments, settings.argument_pieces);
        if (item.pieces.size() == 1 && arguments.size() >= 2) {
            // At least two pieces, so that a response held mid_arguments has sent only part.
            item.pieces = {arguments.substr(0, arguments.size() / 2),
                           arguments.substr(arguments.size() / 2)};
        }
        response.items_.push_back(std::move(item));
    }
    return response;
}

FakeResponse FakeResponse::saying(EventSender& out, const ResponseSettings& settings,
                                  const std::string& text) {
    FakeResponse response(out, settings);
    Item item;
    item.item = {{"id", out.next_id("item")}, {"object", "realtime.item"}, {"type", "message"},
                 {"role", "assistant"},       {"status", "in_progress"},   {"content", json::array()}};
    item.pieces = split_into_pieces(text, 3);
    response.items_.push_back(std::move(item));
    return response;
}

json FakeResponse::response_json(const std::string& status, json status_details,
                                 json output) const {
    // RealtimeResponse (openai-python realtime_response.py; research/openai.md §2).
    json response = {{"id", id_},
                     {"object", "realtime.response"},
                     {"status", status},
                     {"status_details", std::move(status_details)},
                     {"output", std::move(output)},
                     {"conversation_id", "conv_fake"},
                     {"output_modalities", json::array({settings_.spoken ? "audio" : "text"})},
                     {"max_output_tokens", "inf"},
                     {"audio",
                      {{"output",
                        {{"format", {{"type", "audio/pcm"}, {"rate", 24000}}},
                         {"voice", settings_.voice}}}}},
                     {"metadata", settings_.metadata},
                     {"usage", nullptr}};
    if (status != "in_progress") {
        // realtime_response_usage.py; the fake's counts are made up.
        response["usage"] = {{"total_tokens", 0},
                             {"input_tokens", 0},
                             {"output_tokens", 0},
                             {"input_token_details",
                              {{"text_tokens", 0},
                               {"audio_tokens", 0},
                               {"image_tokens", 0},
                               {"cached_tokens", 0},
                               {"cached_tokens_details",
                                {{"text_tokens", 0}, {"audio_tokens", 0}, {"image_tokens", 0}}}}},
                             {"output_token_details", {{"text_tokens", 0}, {"audio_tokens", 0}}}};
    }
    return response;
}

void FakeResponse::start(FakeHold hold, const std::function<void()>& after_created) {
    started_ = true;
    out_->send({{"type", "response.created"},
                {"response", response_json("in_progress", nullptr, json::array())}});
    if (after_created) after_created();
    if (hold == FakeHold::none) return finish();
    for (std::size_t index = 0; index < items_.size(); ++index) {
        add(index);
        if (hold == FakeHold::mid_arguments && items_[index].call()) {
            stream_piece(index);
            return;
        }
        if (!items_[index].call()) {
            stream_piece(index);  // a message: its first delta
            return;
        }
        while (items_[index].pieces_sent < items_[index].pieces.size()) stream_piece(index);
        close(index, "completed");
    }
}

void FakeResponse::finish() {
    if (!in_progress()) return;
    for (std::size_t index = 0; index < items_.size(); ++index) {
        if (items_[index].closed) continue;
        add(index);
        while (items_[index].pieces_sent < items_[index].pieces.size()) stream_piece(index);
        close(index, "completed");
    }
    end("completed", nullptr);
}

void FakeResponse::cancel(std::string_view reason) {
    if (!in_progress()) return;
    for (std::size_t index = 0; index < items_.size(); ++index) {
        if (items_[index].added && !items_[index].closed) close(index, "incomplete");
    }
    end("cancelled", {{"type", "cancelled"}, {"reason", reason}});
}

void FakeResponse::add(std::size_t index) {
    auto& item = items_[index];
    if (item.added) return;
    item.added = true;
    out_->send({{"type", "response.output_item.added"},
                {"response_id", id_},
                {"output_index", index},
                {"item", item.item}});
    out_->send({{"type", "conversation.item.added"}, {"item", item.item}});
}

void FakeResponse::stream_piece(std::size_t index) {
    auto& item = items_[index];
    if (item.pieces_sent >= item.pieces.size()) return;
    const std::string& piece = item.pieces[item.pieces_sent++];
    json delta = {{"response_id", id_}, {"item_id", item.item["id"]}, {"output_index", index}};
    if (item.call()) {
        delta["type"] = "response.function_call_arguments.delta";
        delta["call_id"] = item.item["call_id"];
        delta["delta"] = piece;
        out_->send(std::move(delta));
        return;
    }
    delta["content_index"] = 0;
    delta["type"] = settings_.spoken ? "response.output_audio_transcript.delta"
                                     : "response.output_text.delta";
    delta["delta"] = piece;
    out_->send(delta);
    if (settings_.spoken) {
        delta["type"] = "response.output_audio.delta";
        delta["delta"] = silent_audio_base64();
        out_->send(std::move(delta));
    }
}

void FakeResponse::close(std::size_t index, const std::string& status) {
    auto& item = items_[index];
    item.closed = true;
    const std::string text = joined(item.pieces, item.pieces_sent);
    json done = {{"response_id", id_}, {"item_id", item.item["id"]}, {"output_index", index}};
    if (item.call()) {
        done["type"] = "response.function_call_arguments.done";
        done["call_id"] = item.item["call_id"];
        done["name"] = item.item["name"];
        done["arguments"] = text;
        out_->send(std::move(done));
        item.item["arguments"] = text;
    } else {
        done["content_index"] = 0;
        if (settings_.spoken) {
            done["type"] = "response.output_audio.done";
            out_->send(done);
            done["type"] = "response.output_audio_transcript.done";
            done["transcript"] = text;
        } else {
            done["type"] = "response.output_text.done";
            done["text"] = text;
        }
        out_->send(std::move(done));
        item.item["content"] =
            settings_.spoken ? json::array({{{"type", "output_audio"}, {"transcript", text}}})
                             : json::array({{{"type", "output_text"}, {"text", text}}});
    }
    item.item["status"] = status;
    out_->send({{"type", "response.output_item.done"},
                {"response_id", id_},
                {"output_index", index},
                {"item", item.item}});
    out_->send({{"type", "conversation.item.done"}, {"item", item.item}});
}

void FakeResponse::end(const std::string& status, json status_details) {
    ended_ = true;
    status_ = status;
    json output = json::array();
    for (const auto& item : items_) {
        if (item.added) output.push_back(item.item);
    }
    out_->send({{"type", "response.done"},
                {"response", response_json(status, std::move(status_details), std::move(output))}});
}

std::vector<std::string> FakeResponse::call_ids_sent() const {
    std::vector<std::string> ids;
    for (const auto& item : items_) {
        if (item.call() && item.added) ids.push_back(item.item["call_id"].get<std::string>());
    }
    return ids;
}

std::vector<std::string> FakeResponse::completed_call_ids() const {
    std::vector<std::string> ids;
    for (const auto& item : items_) {
        if (item.call() && item.closed && item.item["status"] == "completed")
            ids.push_back(item.item["call_id"].get<std::string>());
    }
    return ids;
}

}  // namespace calrt::testing
