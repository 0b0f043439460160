// Who a request is from: X-Forwarded-For only from trusted proxies, IPv6 counted by /64
// (review item L2).
#include "calrt/server/client_address.hpp"

#include <gtest/gtest.h>

namespace calrt::server {
namespace {

std::vector<IpNetwork> networks(std::string_view text) { return parse_ip_networks(text).value(); }

TEST(IpNetwork, ParsesCidrsAndBareAddresses) {
    EXPECT_EQ(networks("10.1.2.3/8").front().to_string(), "10.0.0.0/8");
    EXPECT_EQ(networks("2001:db8::1/32").front().to_string(), "2001:db8::/32");
    EXPECT_EQ(networks("192.0.2.7").front().to_string(), "192.0.2.7/32");
    EXPECT_EQ(networks(" 10.0.0.0/8 , ::1 ").size(), 2u);
    EXPECT_TRUE(networks("").empty());
}

TEST(IpNetwork, RefusesWhatIsNotANetwork) {
    for (const char* bad : {"10.0.0.0/33", "example.com", "10.0.0.0/", "2001:db8::/129", "10.0.0.0/8x"}) {
        auto parsed = parse_ip_networks(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_NE(parsed.error().message.find(bad), std::string::npos);
    }
}

TEST(IpNetwork, ContainsIpv4AlsoInItsMappedIpv6Form) {
    const auto net = networks("10.0.0.0/8").front();
    EXPECT_TRUE(net.contains(*IpAddress::parse("10.200.1.1")));
    EXPECT_TRUE(net.contains(*IpAddress::parse("::ffff:10.200.1.1")));
    EXPECT_FALSE(net.contains(*IpAddress::parse("11.0.0.1")));
    EXPECT_FALSE(net.contains(*IpAddress::parse("2001:db8::1")));
}

TEST(ClientAddress, TheForwardedForOfAnUntrustedPeerIsIgnored) {
    EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", networks("10.0.0.0/8")), "203.0.113.9");
    EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", {}), "203.0.113.9");
}

TEST(ClientAddress, ATrustedProxyNamesTheClient) {
    EXPECT_EQ(client_address("10.0.0.2", "198.51.100.1", networks("10.0.0.0/8")), "198.51.100.1");
}

TEST(ClientAddress, TheNearestUntrustedAddressWinsSoAClientCannotSpoofItsWayOut) {
    // The client wrote "1.1.1.1" itself; the proxy appended the address it really came from.
    EXPECT_EQ(client_address("10.0.0.2", "1.1.1.1, 198.51.100.1, 10.0.0.3", networks("10.0.0.0/8")),
              "198.51.100.1");
}

TEST(ClientAddress, AMalformedEntryStopsTheWalk) {
    EXPECT_EQ(client_address("10.0.0.2", "198.51.100.1, garbage, 10.0.0.3", networks("10.0.0.0/8")), "10.0.0.3");
}

TEST(AddressBucket, Ipv6IsCountedByItsSlash64) {
    EXPECT_EQ(address_bucket("2001:db8:1:2:aaaa::1"), address_bucket("2001:db8:1:2:bbbb::99"));
    EXPECT_NE(address_bucket("2001:db8:1:2::1"), address_bucket("2001:db8:1:3::1"));
    EXPECT_EQ(address_bucket("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
}

TEST(AddressBucket, Ipv4IsItselfWhicheverWayItIsWritten) {
    EXPECT_EQ(address_bucket("198.51.100.1"), "198.51.100.1");
    EXPECT_EQ(address_bucket("::ffff:198.51.100.1"), "198.51.100.1");
}

TEST(NetworkBucket, Ipv6IsCountedByItsSlash48WhateverSlash64ItComesFrom) {
    EXPECT_EQ(network_bucket("2001:db8:1:2::1"), "2001:db8:1::/48");
    EXPECT_EQ(network_bucket("2001:db8:1:ff00::9"), network_bucket("2001:db8:1:2::1"));
    EXPECT_EQ(network_bucket(address_bucket("2001:db8:1:2:aaaa::1")), "2001:db8:1::/48");
    EXPECT_NE(network_bucket("2001:db8:1::1"), network_bucket("2001:db8:2::1"));
}

TEST(NetworkBucket, Ipv4IsCountedByItsSlash24) {
    EXPECT_EQ(network_bucket("198.51.100.7"), "198.51.100.0/24");
    EXPECT_EQ(network_bucket("::ffff:198.51.100.200"), "198.51.100.0/24");
    EXPECT_NE(network_bucket("198.51.100.7"), network_bucket("198.51.101.7"));
    EXPECT_EQ(network_bucket("not an address"), "not an address");
}

}  // namespace
}  // namespace calrt::server
