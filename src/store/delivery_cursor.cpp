#include "delivery_cursor.hpp"

#include <charconv>

namespace calrt::store {
namespace {

constexpr std::string_view kPrefix = "v1:";
constexpr std::string_view kHexDigits = "0123456789abcdef";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

Error invalid_cursor() {
    return Error::make(
        ErrorKind::invalid_argument, "invalid_cursor",
        "cursor is not one this server issued; pass next_cursor from the previous page "
        "unchanged, or omit it for the first page");
}

}  // namespace

std::string encode_delivery_cursor(std::int64_t last_id) {
    const std::string plain = std::string(kPrefix) + std::to_string(last_id);
    std::string out;
    out.reserve(plain.size() * 2);
    for (const unsigned char c : plain) {
        out += kHexDigits[c >> 4];
        out += kHexDigits[c & 0x0f];
    }
    return out;
}

Result<std::int64_t> decode_delivery_cursor(std::string_view cursor) {
    if (cursor.empty() || cursor.size() % 2 != 0 || cursor.size() > 64) return invalid_cursor();
    std::string plain;
    for (std::size_t i = 0; i < cursor.size(); i += 2) {
        const int high = hex_value(cursor[i]);
        const int low = hex_value(cursor[i + 1]);
        if (high < 0 || low < 0) return invalid_cursor();
        plain += static_cast<char>(high * 16 + low);
    }
    if (!plain.starts_with(kPrefix)) return invalid_cursor();
    const std::string_view digits = std::string_view(plain).substr(kPrefix.size());
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (ec != std::errc() || end != digits.data() + digits.size() || id <= 0)
        return invalid_cursor();
    return id;
}

Result<std::optional<std::int64_t>> list_page_start(const ListQuery& query) {
    return list_page_start(query.limit, query.cursor);
}

Result<std::optional<std::int64_t>> list_page_start(std::size_t limit,
                                                    const std::optional<std::string>& cursor) {
    if (limit < 1 || limit > kMaxListLimit) {
        return Error::make(ErrorKind::invalid_argument, "invalid_limit",
                           "limit must be between 1 and " + std::to_string(kMaxListLimit) +
                               ", got " + std::to_string(limit));
    }
    if (!cursor) return std::optional<std::int64_t>{};
    auto before = decode_delivery_cursor(*cursor);
    if (!before) return before.error();
    return std::optional<std::int64_t>{*before};
}

}  // namespace calrt::store
