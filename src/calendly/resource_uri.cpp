#include "calrt/calendly/resource_uri.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <vector>

namespace calrt::calendly {
namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_collection_name(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text) {
        if (!(c >= 'a' && c <= 'z') && c != '_') return false;
    }
    return true;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        const char c = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
        if (c != prefix[i]) return false;
    }
    return true;
}

// The last two path segments of an absolute http(s) URI with a host, as written (not decoded:
// a percent-encoded segment is not a Calendly id).
std::optional<std::pair<std::string, std::string>> last_two_segments(std::string_view uri) {
    // Only "http://" or "https://" can lead to a URI with a host, so nothing else reaches the
    // parser: Boost.URL 1.81 fails an assertion (an abort without NDEBUG) on "https:?" or "x:#",
    // an empty path followed by a query or a fragment (found by fuzz/rest_body_fuzz).
    if (!starts_with_ignoring_case(uri, "https://") && !starts_with_ignoring_case(uri, "http://")) {
        return std::nullopt;
    }
    auto parsed = boost::urls::parse_uri(uri);
    if (!parsed) return std::nullopt;
    const boost::urls::url_view& view = *parsed;
    if (view.scheme_id() != boost::urls::scheme::https &&
        view.scheme_id() != boost::urls::scheme::http) {
        return std::nullopt;
    }
    if (!view.has_authority() || view.encoded_host().empty()) return std::nullopt;
    std::vector<std::string> segments;
    for (auto segment : view.encoded_segments()) segments.emplace_back(segment);
    if (segments.size() < 2) return std::nullopt;
    return std::pair{segments[segments.size() - 2], segments.back()};
}

}  // namespace

bool is_calendly_uuid(std::string_view text) {
    if (text.empty() || text.size() > 64 || !is_alnum(text.front())) return false;
    for (char c : text) {
        if (!is_alnum(c) && c != '-') return false;
    }
    return true;
}

bool looks_like_calendly_uri(std::string_view uri, std::string_view collection) {
    const auto segments = last_two_segments(uri);
    if (!segments || !is_calendly_uuid(segments->second)) return false;
    if (collection.empty()) return is_collection_name(segments->first);
    return segments->first == collection;
}

std::optional<std::string> uuid_from_uri(std::string_view uri) {
    const auto segments = last_two_segments(uri);
    if (!segments || !is_collection_name(segments->first) || !is_calendly_uuid(segments->second)) {
        return std::nullopt;
    }
    return segments->second;
}

}  // namespace calrt::calendly
