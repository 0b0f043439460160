#pragma once
// The shape most Realtime audio events have: one JSON object whose members are plain strings and
// numbers ({"type":"input_audio_buffer.append","audio":"<base64>"}). Reading that shape takes one
// pass over the bytes and copies nothing, where parsing it into nlohmann::json costs a DOM and a
// 6 KB string copy per 100 ms of audio. The relay reads the events that stream in dozens per second
// this way and forwards their bytes unchanged; anything else (an escape sequence, a nested value,
// a repeated key, more members than fit) is not this shape, and its caller parses it fully.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace calrt {

struct FlatJsonMember {
    std::string_view key;
    std::string_view value;  // a string's characters without the quotes, or a number's text
    bool is_string = false;
};

class FlatJsonObject {
  public:
    static constexpr std::size_t kMaxMembers = 8;

    // `text` as such an object, or nullopt. Whitespace as JSON allows; strings may hold any
    // well-formed UTF-8 but '"', '\' and control characters, so that an object read here is
    // always valid JSON. The views point into `text`.
    static std::optional<FlatJsonObject> read(std::string_view text) noexcept;

    // The member named `key`, or null.
    const FlatJsonMember* find(std::string_view key) const noexcept;
    // The string member named `key`, or nullopt when it is missing or a number.
    std::optional<std::string_view> string(std::string_view key) const noexcept;

    const FlatJsonMember* begin() const noexcept { return members_.data(); }
    const FlatJsonMember* end() const noexcept { return members_.data() + size_; }
    std::size_t size() const noexcept { return size_; }

  private:
    std::array<FlatJsonMember, kMaxMembers> members_{};
    std::size_t size_ = 0;
};

}  // namespace calrt
