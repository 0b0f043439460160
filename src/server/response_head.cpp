#include "response_head.hpp"

#include <boost/beast/http/status.hpp>

#include <array>
#include <charconv>

namespace calrt::server {
namespace {

bool is_framing_header(std::string_view name) {
    return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") || iequals(name, "Connection");
}

void append_value(std::string& out, std::string_view value) {
    const std::size_t start = out.size();
    out.append(value);
    for (std::size_t i = start; i < out.size(); ++i) {
        if (out[i] == '\r' || out[i] == '\n' || out[i] == '\0') out[i] = ' ';
    }
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
    out.append(name);
    out.append(": ");
    append_value(out, value);
    out.append("\r\n");
}

void append_number(std::string& out, std::size_t number) {
    std::array<char, 24> digits;
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), number).ptr;
    out.append(digits.data(), end);
}

}  // namespace

bool status_has_body(unsigned status) noexcept {
    return status >= 200 && status != 204 && status != 304;
}

void append_response_head(std::string& out, const Response& response, std::string_view request_id,
                          unsigned version, bool keep_alive, std::size_t content_length) {
    out.append("HTTP/");
    append_number(out, version / 10);
    out.push_back('.');
    append_number(out, version % 10);
    out.push_back(' ');
    append_number(out, response.status);
    out.push_back(' ');
    out.append(boost::beast::http::obsolete_reason(boost::beast::http::int_to_status(response.status)));
    out.append("\r\n");

    // Beast's `set` replaces a field set earlier under the same name (any case): a field is written
    // only when none of the response's own headers from `from` on, nor the request id, replaces it.
    const auto replaced_later = [&](std::string_view name, std::size_t from) {
        for (std::size_t i = from; i < response.headers.size(); ++i) {
            if (iequals(response.headers[i].first, name)) return true;
        }
        return !request_id.empty() && iequals(name, "X-Request-Id");
    };
    if (!replaced_later("Server", 0)) append_field(out, "Server", "calendly-realtime");
    if (!replaced_later("Content-Type", 0)) append_field(out, "Content-Type", response.content_type);
    for (std::size_t i = 0; i < response.headers.size(); ++i) {
        const auto& [name, value] = response.headers[i];
        if (is_framing_header(name) || replaced_later(name, i + 1)) continue;
        append_field(out, name, value);
    }
    if (!request_id.empty()) append_field(out, "X-Request-Id", request_id);
    if (version >= 11 && !keep_alive) append_field(out, "Connection", "close");
    if (version < 11 && keep_alive) append_field(out, "Connection", "keep-alive");
    if (status_has_body(response.status)) {
        out.append("Content-Length: ");
        append_number(out, content_length);
        out.append("\r\n");
    }
    out.append("\r\n");
}

}  // namespace calrt::server
