#pragma once
// Small text helpers shared by parsers of headers, settings and tool arguments.

#include <string>
#include <string_view>
#include <vector>

namespace calrt {

// `text` without leading and trailing characters from `blanks` (by default HTTP's optional
// whitespace, space and tab).
inline std::string_view trim(std::string_view text, std::string_view blanks = " \t") {
    const auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

// Whitespace of any kind (space, tab, newline, ...), for trim() of what people typed.
inline constexpr std::string_view kWhitespace = " \t\r\n\v\f";

// `text` with ASCII letters in lower case (emails, names compared without case).
inline std::string ascii_lowercase(std::string_view text) {
    std::string out(text);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// `items` with `separator` between them.
inline std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

}  // namespace calrt
