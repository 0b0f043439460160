#include "calrt/calendly/rate_limit.hpp"

#include "calrt/core/text.hpp"

#include <algorithm>

namespace calrt::calendly {
namespace {

constexpr std::int64_t one_day = 86'400;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

RateLimitHeaders RateLimitHeaders::from(const net::HeaderList& headers) {
    RateLimitHeaders out;
    for (const auto& [name, value] : headers) {
        if (iequals(name, "X-RateLimit-Limit")) out.limit = value;
        else if (iequals(name, "X-RateLimit-Remaining")) out.remaining = value;
        else if (iequals(name, "X-RateLimit-Reset")) out.reset = value;
        else if (iequals(name, "Retry-After")) out.retry_after = value;
    }
    return out;
}

std::optional<std::chrono::seconds> RateLimitHeaders::wait() const {
    if (auto seconds = parse_header_seconds(retry_after)) return seconds;
    return parse_header_seconds(reset);
}

std::optional<std::int64_t> RateLimitHeaders::remaining_requests() const {
    const auto text = trim(remaining);
    if (text.empty() || text.size() > 12) return std::nullopt;
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<std::chrono::seconds> parse_header_seconds(std::string_view text) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    std::int64_t whole = 0;
    std::size_t i = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        whole = std::min<std::int64_t>(whole * 10 + (text[i] - '0'), one_day);
    }
    if (i == 0) return std::nullopt;
    if (i < text.size()) {
        if (text[i] != '.' || i + 1 == text.size()) return std::nullopt;
        bool fraction = false;
        for (std::size_t j = i + 1; j < text.size(); ++j) {
            if (text[j] < '0' || text[j] > '9') return std::nullopt;
            fraction = fraction || text[j] != '0';
        }
        if (fraction) ++whole;  // waiting a little longer is safe; shorter is not
    }
    return std::chrono::seconds(std::min(whole, one_day));
}

}  // namespace calrt::calendly
