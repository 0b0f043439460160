#include "setting_parsers.hpp"

#include <boost/url/parse.hpp>

#include <charconv>

namespace calrt::setting_parsers {
namespace {

Error bad(std::string expected, std::string_view value) {
    return Error::make(ErrorKind::invalid_argument, "invalid_setting",
                       "expected " + std::move(expected) + ", got '" + std::string(value) + "'");
}

template <class Int>
Result<Int> integer(std::string_view value, Int min, Int max, std::string_view what) {
    Int parsed{};
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (ec != std::errc{} || end != value.data() + value.size() || parsed < min || parsed > max) {
        return bad(std::string(what) + " from " + std::to_string(min) + " to " + std::to_string(max), value);
    }
    return parsed;
}

}  // namespace

Result<void> host(std::string& out, std::string_view value) {
    if (value.empty() || value.find_first_of(" /\t") != std::string_view::npos) {
        return bad("a host name or IP address", value);
    }
    out = value;
    return {};
}

Result<void> port(std::uint16_t& out, std::string_view value) {
    auto parsed = integer<unsigned>(value, 0, 65535, "a port number");
    if (!parsed) return parsed.error();
    out = static_cast<std::uint16_t>(*parsed);
    return {};
}

Result<void> unsigned_in(unsigned& out, std::string_view value, unsigned min, unsigned max) {
    auto parsed = integer<unsigned>(value, min, max, "a whole number");
    if (!parsed) return parsed.error();
    out = *parsed;
    return {};
}

Result<void> size_in(std::size_t& out, std::string_view value, std::size_t min, std::size_t max) {
    auto parsed = integer<std::size_t>(value, min, max, "a whole number");
    if (!parsed) return parsed.error();
    out = *parsed;
    return {};
}

Result<void> millis(std::chrono::milliseconds& out, std::string_view value) {
    auto parsed = integer<std::int64_t>(value, 1, 86'400'000, "milliseconds");
    if (!parsed) return parsed.error();
    out = std::chrono::milliseconds(*parsed);
    return {};
}

Result<void> ip_networks(std::vector<IpNetwork>& out, std::string_view value) {
    auto parsed = parse_ip_networks(value);
    if (!parsed) return parsed.error();
    out = std::move(*parsed);
    return {};
}

std::string show_ip_networks(const std::vector<IpNetwork>& networks) {
    std::string text;
    for (const auto& network : networks) {
        if (!text.empty()) text += ',';
        text += network.to_string();
    }
    return text;
}

Result<void> non_empty(std::string& out, std::string_view value) {
    if (value.empty()) return bad("a non-empty value", value);
    out = value;
    return {};
}

Result<void> secret(Secret& out, std::string_view value) {
    // The value itself must not appear in the message.
    if (value.find_first_of("\r\n") != std::string_view::npos) {
        return Error::make(ErrorKind::invalid_argument, "invalid_setting",
                           "expected a single-line secret (the value contains a line break)");
    }
    out = Secret(std::string(value));
    return {};
}

Result<void> database_url(Secret& out, std::string_view value) {
    if (!value.empty() && !value.starts_with("postgres://") && !value.starts_with("postgresql://")) {
        return Error::make(ErrorKind::invalid_argument, "invalid_setting",
                           "expected a postgres://user:password@host:port/database URL");
    }
    return secret(out, value);
}

Result<void> one_of(std::string& out, std::string_view value, std::initializer_list<std::string_view> allowed) {
    std::string expected = "one of";
    for (auto a : allowed) {
        if (a == value) {
            out = value;
            return {};
        }
        expected += " ";
        expected += a;
    }
    return bad(expected, value);
}

Result<void> url(std::string& out, std::string_view value, std::span<const std::string_view> schemes) {
    std::string expected = "an absolute URL with scheme";
    for (auto s : schemes) expected += std::string(" ") + std::string(s) + ":";
    auto parsed = boost::urls::parse_absolute_uri(value);
    if (!parsed || !parsed->has_authority() || parsed->host().empty()) return bad(expected, value);
    for (auto s : schemes) {
        if (parsed->scheme() == s) {
            out = value;
            return {};
        }
    }
    return bad(expected, value);
}

Result<void> optional_url(std::string& out, std::string_view value, std::span<const std::string_view> schemes) {
    if (value.empty()) {
        out.clear();
        return {};
    }
    return url(out, value, schemes);
}

Result<void> boolean(bool& out, std::string_view value) {
    if (value == "true" || value == "1" || value == "yes") {
        out = true;
    } else if (value == "false" || value == "0" || value == "no") {
        out = false;
    } else {
        return bad("true or false", value);
    }
    return {};
}

}  // namespace calrt::setting_parsers
