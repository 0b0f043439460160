#include "calrt/core/base64.hpp"

#include <boost/beast/core/detail/base64.hpp>

namespace calrt {
namespace {

namespace b64 = boost::beast::detail::base64;

bool in_alphabet(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

}  // namespace

std::string encode_base64(std::string_view bytes) {
    std::string out(b64::encoded_size(bytes.size()), '\0');
    out.resize(b64::encode(out.data(), bytes.data(), bytes.size()));
    return out;
}

std::optional<std::string> decode_base64(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
        ++padding;
    const std::string_view digits = text.substr(0, text.size() - padding);
    for (char c : digits) {
        if (!in_alphabet(c)) return std::nullopt;
    }
    // Beast's decoder stops quietly at the first character outside the alphabet; everything was
    // checked above, so it reads all of `digits`.
    std::string out(b64::decoded_size(text.size()), '\0');
    const auto [written, read] = b64::decode(out.data(), digits.data(), digits.size());
    if (read != digits.size()) return std::nullopt;
    out.resize(written);
    return out;
}

}  // namespace calrt
