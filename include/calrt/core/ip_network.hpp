#pragma once
// IP networks in CIDR notation ("10.0.0.0/8", "2001:db8::/32", or one address), for settings such
// as TRUSTED_PROXIES. IPv4 is held as IPv4-mapped IPv6 (::ffff:a.b.c.d), so one comparison serves
// both families and "::ffff:10.1.2.3" (how a dual-stack socket reports an IPv4 peer) is inside
// 10.0.0.0/8.

#include "calrt/core/error.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt {

struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};  // IPv6 order; IPv4 as ::ffff:a.b.c.d
    bool is_v4() const noexcept;

    // An IPv4 or IPv6 address in text form (no brackets, no port, no zone); nullopt otherwise.
    static std::optional<IpAddress> parse(std::string_view text);
    std::string to_string() const;
};

struct IpNetwork {
    IpAddress prefix;       // host bits cleared
    unsigned prefix_bits;   // in IPv6 terms: an IPv4 /8 is 104

    bool contains(const IpAddress& address) const noexcept;
    std::string to_string() const;  // "10.0.0.0/8", "2001:db8::/32"

    // "a.b.c.d/n", "v6/n" or a bare address (one host); the message says what was wrong.
    static Result<IpNetwork> parse(std::string_view text);
};

// A comma-separated list of networks (spaces allowed); empty text is an empty list.
Result<std::vector<IpNetwork>> parse_ip_networks(std::string_view text);

bool any_contains(const std::vector<IpNetwork>& networks, const IpAddress& address) noexcept;

// 127.0.0.0/8 and ::1: this machine, whichever family the client used.
std::vector<IpNetwork> loopback_networks();

}  // namespace calrt
