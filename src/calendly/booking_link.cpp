#include "calrt/calendly/booking_link.hpp"

#include "calrt/net/url_query.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <array>
#include <utility>

namespace calrt::calendly {
namespace {

// RFC 3629: rejects overlong forms, surrogates and code points above U+10FFFF.
bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto byte = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        unsigned min = 0, max = 0xBF;  // bounds of the second byte
        if (byte < 0x80) {
            ++i;
            continue;
        } else if (byte >= 0xC2 && byte <= 0xDF) {
            length = 2;
            min = 0x80;
        } else if (byte >= 0xE0 && byte <= 0xEF) {
            length = 3;
            min = byte == 0xE0 ? 0xA0 : 0x80;
            max = byte == 0xED ? 0x9F : 0xBF;
        } else if (byte >= 0xF0 && byte <= 0xF4) {
            length = 4;
            min = byte == 0xF0 ? 0x90 : 0x80;
            max = byte == 0xF4 ? 0x8F : 0xBF;
        } else {
            return false;
        }
        if (text.size() - i < length) return false;
        const auto second = static_cast<unsigned char>(text[i + 1]);
        if (second < min || second > max) return false;
        for (std::size_t k = 2; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if (next < 0x80 || next > 0xBF) return false;
        }
        i += length;
    }
    return true;
}

}  // namespace

Result<std::string> personalize_booking_url(std::string_view base_url,
                                            const BookingPrefill& prefill) {
    auto parsed = boost::urls::parse_uri(base_url);
    if (!parsed ||
        (parsed->scheme_id() != boost::urls::scheme::https &&
         parsed->scheme_id() != boost::urls::scheme::http) ||
        parsed->encoded_host().empty()) {
        return Error::make(ErrorKind::upstream_failed, "invalid_booking_url",
                           "the booking page URL '" + std::string(base_url.substr(0, 200)) +
                               "' is not an absolute http(s) URL");
    }
    boost::urls::url url(*parsed);
    const std::array<std::pair<std::string_view, std::string_view>, 4> values = {{
        {"name", prefill.name},
        {"email", prefill.email},
        {"a1", prefill.purpose},
        {"utm_content", prefill.tracking},
    }};
    for (const auto& [key, value] : values) {
        if (value.empty()) continue;
        if (!is_valid_utf8(value)) {
            return Error::make(ErrorKind::invalid_argument, "invalid_prefill",
                               std::string(key) + " is not valid UTF-8 text");
        }
        url.encoded_params().erase(key);
        net::append_query_param(url, key, value);
    }
    return std::string(url.buffer());
}

}  // namespace calrt::calendly
