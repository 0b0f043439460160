#include "calrt/core/flat_json.hpp"

#include <cstring>

#include "calrt/core/utf8.hpp"

namespace calrt {
namespace {

class Cursor {
  public:
    explicit Cursor(std::string_view text) : text_(text) {}

    bool done() const { return at_ == text_.size(); }
    char peek() const { return done() ? '\0' : text_[at_]; }

    void skip_space() {
        while (!done() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' ||
                           text_[at_] == '\r')) {
            ++at_;
        }
    }

    bool take(char expected) {
        if (peek() != expected) return false;
        ++at_;
        return true;
    }

    // A string without escapes; at_ is on its opening quote.
    std::optional<std::string_view> string() {
        if (!take('"')) return std::nullopt;
        const char* start = text_.data() + at_;
        const auto* quote = static_cast<const char*>(std::memchr(start, '"', text_.size() - at_));
        if (quote == nullptr) return std::nullopt;
        const std::string_view value(start, static_cast<std::size_t>(quote - start));
        for (const char c : value) {
            if (c == '\\' || static_cast<unsigned char>(c) < 0x20) return std::nullopt;
        }
        if (!is_valid_utf8(value)) return std::nullopt;
        at_ += value.size() + 1;
        return value;
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    std::optional<std::string_view> number() {
        const std::size_t start = at_;
        take('-');
        if (take('0')) {
        } else if (!digits()) {
            return std::nullopt;
        }
        if (take('.') && !digits()) return std::nullopt;
        if (take('e') || take('E')) {
            if (!take('+')) take('-');
            if (!digits()) return std::nullopt;
        }
        return text_.substr(start, at_ - start);
    }

  private:
    bool digits() {
        const std::size_t start = at_;
        while (!done() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
        return at_ > start;
    }

    std::string_view text_;
    std::size_t at_ = 0;
};

}  // namespace

std::optional<FlatJsonObject> FlatJsonObject::read(std::string_view text) noexcept {
    FlatJsonObject object;
    Cursor cursor(text);
    cursor.skip_space();
    if (!cursor.take('{')) return std::nullopt;
    cursor.skip_space();
    if (!cursor.take('}')) {
        for (;;) {
            if (object.size_ == kMaxMembers) return std::nullopt;
            cursor.skip_space();
            auto key = cursor.string();
            if (!key || object.find(*key) != nullptr) return std::nullopt;  // repeated: parse fully
            cursor.skip_space();
            if (!cursor.take(':')) return std::nullopt;
            cursor.skip_space();
            FlatJsonMember member{*key, {}, cursor.peek() == '"'};
            auto value = member.is_string ? cursor.string() : cursor.number();
            if (!value) return std::nullopt;
            member.value = *value;
            object.members_[object.size_++] = member;
            cursor.skip_space();
            if (cursor.take('}')) break;
            if (!cursor.take(',')) return std::nullopt;
        }
    }
    cursor.skip_space();
    if (!cursor.done()) return std::nullopt;
    return object;
}

const FlatJsonMember* FlatJsonObject::find(std::string_view key) const noexcept {
    for (const auto& member : *this) {
        if (member.key == key) return &member;
    }
    return nullptr;
}

std::optional<std::string_view> FlatJsonObject::string(std::string_view key) const noexcept {
    const auto* member = find(key);
    if (member == nullptr || !member->is_string) return std::nullopt;
    return member->value;
}

}  // namespace calrt
