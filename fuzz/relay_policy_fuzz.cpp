// libFuzzer target: the relay's decision on one browser message. Any bytes must give a decision
// without crashing; whatever is forwarded is an allowed event type, and a session.update carries
// nothing but "type", output_modalities, audio.output.voice (never the one in force) and
// audio.input.turn_detection: never instructions or tools.
#include "calrt/server/relay_policy.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

const nlohmann::json& server_session() {
    static const nlohmann::json session = {
        {"type", "realtime"},
        {"instructions", "Server instructions."},
        {"tools", nlohmann::json::array({{{"type", "function"}, {"name", "book_meeting"}}})},
        {"audio", {{"output", {{"voice", "marin"}}}, {"input", {{"turn_detection", {{"type", "server_vad"}}}}}}}};
    return session;
}

bool forwardable(const std::string& type) {
    static constexpr std::array<std::string_view, 7> kTypes = {
        "input_audio_buffer.append", "input_audio_buffer.commit", "input_audio_buffer.clear",
        "response.cancel",           "conversation.item.truncate", "response.create",
        "conversation.item.create"};
    return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto decision = calrt::server::decide_browser_event(text, server_session());
    if (const auto* forward = std::get_if<calrt::server::ForwardEvent>(&decision)) {
        if (!forwardable(forward->event.value("type", ""))) __builtin_trap();
        (void)forward->event.dump();  // what the relay does next
        if (!forward->text.empty()) {
            // Bytes that go up unparsed: an audio append with only its own plain members, whose
            // audio is what the budget charged.
            const auto sent = nlohmann::json::parse(forward->text, nullptr, false);
            if (sent.is_discarded() || !sent.is_object() ||
                sent.value("type", "") != "input_audio_buffer.append") {
                __builtin_trap();
            }
            for (const auto& [key, value] : sent.items()) {
                if (!value.is_string() || (key != "type" && key != "event_id" && key != "audio")) __builtin_trap();
            }
            if (sent.value("audio", "") != forward->event.value("audio", "")) __builtin_trap();
        }
    } else if (const auto* update = std::get_if<calrt::server::UpdateSession>(&decision)) {
        const auto& changes = update->changes;
        if (changes.value("type", "") != "realtime") __builtin_trap();
        for (const auto& [key, value] : changes.items()) {
            if (key != "type" && key != "output_modalities" && key != "audio") __builtin_trap();
        }
        if (changes.contains("audio")) {
            for (const auto& [direction, settings] : changes["audio"].items()) {
                for (const auto& [name, setting] : settings.items()) {
                    const bool voice = direction == "output" && name == "voice" && setting != "marin";
                    const bool turn_detection = direction == "input" && name == "turn_detection";
                    if (!voice && !turn_detection) __builtin_trap();
                }
            }
        }
    }
    return 0;
}
