#include "calrt/server/client_address.hpp"

#include "calrt/core/text.hpp"

namespace calrt::server {

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<IpNetwork>& trusted_proxies) {
    if (trusted_proxies.empty() || forwarded_for.empty()) return std::string(peer);
    const auto peer_address = IpAddress::parse(peer);
    if (!peer_address || !any_contains(trusted_proxies, *peer_address)) return std::string(peer);
    std::string chosen(peer);
    while (!forwarded_for.empty()) {
        const auto comma = forwarded_for.rfind(',');
        const std::string_view entry =
            trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
        forwarded_for = comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
        const auto address = IpAddress::parse(entry);
        if (!address) break;
        chosen = address->to_string();
        if (!any_contains(trusted_proxies, *address)) break;
    }
    return chosen;
}

std::string address_bucket(std::string_view address) {
    const auto parsed = IpAddress::parse(address);
    if (!parsed) return std::string(address);
    if (parsed->is_v4()) return parsed->to_string();
    IpAddress network = *parsed;
    for (std::size_t i = 8; i < 16; ++i) network.bytes[i] = 0;
    return network.to_string() + "/64";
}

std::string network_bucket(std::string_view address) {
    if (address.ends_with("/64")) address.remove_suffix(3);  // an address_bucket() of IPv6
    const auto parsed = IpAddress::parse(address);
    if (!parsed) return std::string(address);
    IpAddress network = *parsed;
    if (parsed->is_v4()) {
        network.bytes[15] = 0;  // IPv4 lives in the last four bytes (IPv4-mapped form)
        return network.to_string() + "/24";
    }
    for (std::size_t i = 6; i < 16; ++i) network.bytes[i] = 0;
    return network.to_string() + "/48";
}

}  // namespace calrt::server
