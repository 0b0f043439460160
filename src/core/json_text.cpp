#include "calrt/core/json_text.hpp"

#include "calrt/core/utf8.hpp"

namespace calrt {

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80) {
            // Valid UTF-8 passes through; each invalid byte becomes U+FFFD (L7 of the security review).
            const std::size_t width = utf8_sequence_length(text, i);
            if (width == 0) {
                out += kUtf8Replacement;
                ++i;
            } else {
                out.append(text.substr(i, width));
                i += width;
            }
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (byte < 0x20 || byte == 0x7f) {
                    out += "\\u00";
                    out += kHex[byte >> 4];
                    out += kHex[byte & 0xF];
                } else {
                    out += c;
                }
        }
        ++i;
    }
    out += '"';
}

}  // namespace calrt
