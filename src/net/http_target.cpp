#include "http_target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace calrt::net {
namespace urls = boost::urls;

namespace {

Error invalid_url(std::string_view why) {
    return Error::make(ErrorKind::internal, "invalid_url",
                       "cannot send the request: " + std::string(why));
}

std::string lower_case(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace

std::string HttpTarget::origin() const {
    return std::string(tls ? "https://" : "http://") + where();
}

std::string HttpTarget::where() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<HttpTarget> parse_http_url(std::string_view url) {
    auto parsed = urls::parse_absolute_uri(url);
    if (!parsed) return invalid_url("'" + std::string(url) + "' is not an absolute URL");
    const urls::url_view& view = *parsed;

    HttpTarget target;
    switch (view.scheme_id()) {
        case urls::scheme::http:
            target.tls = false;
            break;
        case urls::scheme::https:
            target.tls = true;
            break;
        default:
            return invalid_url("scheme '" + std::string(view.scheme()) + "' is not http or https");
    }
    if (view.has_userinfo()) {
        return invalid_url("credentials in the URL are not supported; send a header");
    }

    switch (view.host_type()) {
        case urls::host_type::name:
            target.host = lower_case(view.host_name());
            break;
        case urls::host_type::ipv4:
            target.host = view.host_ipv4_address().to_string();
            break;
        case urls::host_type::ipv6:
            target.host = view.host_ipv6_address().to_string();
            break;
        default:
            break;
    }
    if (target.host.empty()) return invalid_url("the URL has no usable host");

    target.port = target.tls ? 443 : 80;
    if (view.has_port() && !view.port().empty()) {
        // Boost.URL's port_number() wraps values past 65535, so the digits are read here.
        const std::string_view digits = view.port();
        unsigned long port = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (ec != std::errc{} || end != digits.data() + digits.size() || port == 0 ||
            port > 65535) {
            return invalid_url("port " + std::string(digits) + " is out of range");
        }
        target.port = static_cast<std::uint16_t>(port);
    }
    target.host_header = std::string(view.encoded_host_and_port());
    target.target = view.encoded_path().empty() ? "/" : std::string(view.encoded_path());
    if (view.has_query()) target.target += "?" + std::string(view.encoded_query());
    return target;
}

}  // namespace calrt::net
