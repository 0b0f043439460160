#include "calrt/core/ip_network.hpp"

#include "calrt/core/text.hpp"

#include <boost/asio/ip/address.hpp>

#include <charconv>

namespace calrt {
namespace asio = boost::asio;

namespace {

Error invalid_network(std::string_view text, std::string_view why) {
    return Error::make(ErrorKind::invalid_argument, "invalid_network",
                       "'" + std::string(text) + "' is not an IP network in CIDR notation (" + std::string(why) +
                           "), e.g. 10.0.0.0/8 or 2001:db8::/32");
}

constexpr unsigned kMappedV4Bits = 96;  // ::ffff:0:0/96

}  // namespace

bool IpAddress::is_v4() const noexcept {
    for (std::size_t i = 0; i < 10; ++i) {
        if (bytes[i] != 0) return false;
    }
    return bytes[10] == 0xff && bytes[11] == 0xff;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(std::string(text), ec);
    if (ec) return std::nullopt;
    IpAddress parsed;
    if (address.is_v4()) {
        parsed.bytes = asio::ip::make_address_v6(asio::ip::v4_mapped, address.to_v4()).to_bytes();
    } else {
        if (address.to_v6().scope_id() != 0) return std::nullopt;
        parsed.bytes = address.to_v6().to_bytes();
    }
    return parsed;
}

std::string IpAddress::to_string() const {
    if (is_v4()) {
        // Dotted decimal by hand: Asio's goes through inet_ntop and a printf, and every request's
        // rate-limit bucket is an address written out (issue 21).
        std::string text;
        text.reserve(15);
        for (std::size_t i = 12; i < 16; ++i) {
            char digits[3];
            const auto end = std::to_chars(digits, digits + sizeof digits, unsigned{bytes[i]}).ptr;
            if (i > 12) text.push_back('.');
            text.append(digits, end);
        }
        return text;
    }
    return asio::ip::address_v6(bytes).to_string();
}

bool IpNetwork::contains(const IpAddress& address) const noexcept {
    unsigned bits = prefix_bits;
    for (std::size_t i = 0; i < 16 && bits > 0; ++i) {
        const unsigned take = bits >= 8 ? 8 : bits;
        const auto mask = static_cast<std::uint8_t>(0xFF << (8 - take));
        if ((address.bytes[i] & mask) != prefix.bytes[i]) return false;
        bits -= take;
    }
    return true;
}

std::string IpNetwork::to_string() const {
    const bool v4 = prefix.is_v4() && prefix_bits >= kMappedV4Bits;
    return prefix.to_string() + "/" + std::to_string(v4 ? prefix_bits - kMappedV4Bits : prefix_bits);
}

Result<IpNetwork> IpNetwork::parse(std::string_view text) {
    const auto slash = text.find('/');
    const std::string_view address_text = text.substr(0, slash);
    const auto address = IpAddress::parse(address_text);
    if (!address) return invalid_network(text, "not an IPv4 or IPv6 address");
    const unsigned family_bits = address->is_v4() ? 32 : 128;
    unsigned length = family_bits;
    if (slash != std::string_view::npos) {
        const std::string_view digits = text.substr(slash + 1);
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
        if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || length > family_bits) {
            return invalid_network(text, "the prefix length must be 0 to " + std::to_string(family_bits));
        }
    }
    IpNetwork network{*address, address->is_v4() ? kMappedV4Bits + length : length};
    // Clear the host bits, so 10.1.2.3/8 means 10.0.0.0/8.
    unsigned bits = network.prefix_bits;
    for (auto& byte : network.prefix.bytes) {
        const unsigned keep = bits >= 8 ? 8 : bits;
        byte = static_cast<std::uint8_t>(keep == 0 ? 0 : byte & (0xFF << (8 - keep)));
        bits -= keep;
    }
    return network;
}

Result<std::vector<IpNetwork>> parse_ip_networks(std::string_view text) {
    std::vector<IpNetwork> networks;
    while (!trim(text).empty()) {
        const auto comma = text.find(',');
        const std::string_view entry = trim(text.substr(0, comma));
        if (!entry.empty()) {
            auto network = IpNetwork::parse(entry);
            if (!network) return network.error();
            networks.push_back(*network);
        }
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return networks;
}

bool any_contains(const std::vector<IpNetwork>& networks, const IpAddress& address) noexcept {
    for (const auto& network : networks) {
        if (network.contains(address)) return true;
    }
    return false;
}

std::vector<IpNetwork> loopback_networks() {
    return parse_ip_networks("127.0.0.0/8,::1").value();
}

}  // namespace calrt
