// The counting behind the server's admission limits (server/admission.hpp): connections per
// address and per network (review item N2), body bytes per address and in all (N1), refusals in
// flight (N8).
#include "server/admission.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace calrt::server {
namespace {

using Slot = AddressConnections::Slot;
using Refusal = AddressConnections::Refusal;

bool admitted(const std::variant<Slot, Refusal>& taken) { return std::holds_alternative<Slot>(taken); }

std::optional<Refusal> refusal_of(const std::variant<Slot, Refusal>& taken) {
    if (const auto* refused = std::get_if<Refusal>(&taken)) return *refused;
    return std::nullopt;
}

TEST(AddressConnections, OneAddressHoldsAtMostItsCap) {
    AddressConnections connections(ConnectionCaps{.per_address = 2});
    auto first = connections.take("203.0.113.7");
    auto second = connections.take("203.0.113.7");
    ASSERT_TRUE(admitted(first));
    ASSERT_TRUE(admitted(second));
    EXPECT_EQ(refusal_of(connections.take("203.0.113.7")), Refusal::address);
    EXPECT_TRUE(admitted(connections.take("203.0.113.8"))) << "another address has its own count";
}

TEST(AddressConnections, AnIpv6Slash64CountsAsOneAddress) {
    AddressConnections connections(ConnectionCaps{.per_address = 1});
    auto held = connections.take("2001:db8:1:2::1");
    ASSERT_TRUE(admitted(held));
    EXPECT_EQ(refusal_of(connections.take("2001:db8:1:2:ffff::9")), Refusal::address);
    EXPECT_EQ(connections.held_by("2001:db8:1:2::/64"), 1u);
}

TEST(AddressConnections, TheSlash48TierCapsManySlash64sOfOneSite) {
    AddressConnections connections(ConnectionCaps{.per_address = 64, .per_ipv6_48 = 3});
    std::vector<std::variant<Slot, Refusal>> held;
    for (const char* address : {"2001:db8:7:1::1", "2001:db8:7:2::1", "2001:db8:7:ff00::1"}) {
        held.push_back(connections.take(address));
        ASSERT_TRUE(admitted(held.back())) << address;
    }
    EXPECT_EQ(refusal_of(connections.take("2001:db8:7:3::1")), Refusal::network);
    EXPECT_EQ(connections.held_by("2001:db8:7::/48"), 3u);
    EXPECT_TRUE(admitted(connections.take("2001:db8:8:1::1"))) << "another /48 has its own count";
    EXPECT_TRUE(admitted(connections.take("198.51.100.1"))) << "the /48 tier is for IPv6 only";

    held.pop_back();  // one leaves: the site may connect again
    EXPECT_TRUE(admitted(connections.take("2001:db8:7:3::1")));
}

TEST(AddressConnections, TheSlash24TierIsOffUnlessSet) {
    AddressConnections off(ConnectionCaps{.per_address = 1, .per_ipv6_48 = 1});
    std::vector<std::variant<Slot, Refusal>> held;
    for (int host = 1; host <= 20; ++host) {
        held.push_back(off.take("198.51.100." + std::to_string(host)));
        EXPECT_TRUE(admitted(held.back())) << host;
    }

    AddressConnections on(ConnectionCaps{.per_address = 1, .per_ipv4_24 = 2});
    auto a = on.take("198.51.100.1");
    auto b = on.take("198.51.100.2");
    ASSERT_TRUE(admitted(a));
    ASSERT_TRUE(admitted(b));
    EXPECT_EQ(refusal_of(on.take("198.51.100.3")), Refusal::network);
    EXPECT_EQ(refusal_of(on.take("198.51.100.1")), Refusal::address) << "the address's own cap is checked first";
    EXPECT_TRUE(admitted(on.take("198.51.101.1"))) << "another /24";
    EXPECT_EQ(on.held_by("198.51.100.0/24"), 2u);
}

TEST(AddressConnections, ARefusedConnectionIsNotCountedAndTheTablesEmptyAsClientsLeave) {
    AddressConnections connections(ConnectionCaps{.per_address = 1, .per_ipv6_48 = 8, .per_ipv4_24 = 8});
    {
        auto v4 = connections.take("192.0.2.1");
        auto v6 = connections.take("2001:db8::1");
        EXPECT_FALSE(admitted(connections.take("192.0.2.1")));
        EXPECT_EQ(connections.held_by("192.0.2.1"), 1u);
        EXPECT_EQ(connections.held_by("192.0.2.0/24"), 1u);
        EXPECT_EQ(connections.tracked_keys(), 4u);  // two addresses, two networks
    }
    EXPECT_EQ(connections.tracked_keys(), 0u);
}

TEST(BodyBudget, ChargesGrowPerAddressAndInAll) {
    BodyBudget budget(1000, 400);
    auto a = budget.open("192.0.2.1");
    auto b = budget.open("192.0.2.2");
    EXPECT_EQ(a.grow_to(300), BodyBudget::Shortfall::none);
    EXPECT_EQ(a.grow_to(100), BodyBudget::Shortfall::none) << "a reservation never shrinks";
    EXPECT_EQ(a.bytes(), 300u);
    EXPECT_EQ(b.grow_to(400), BodyBudget::Shortfall::none);
    EXPECT_EQ(budget.in_use(), 700u);
    EXPECT_EQ(budget.in_use_by("192.0.2.1"), 300u);
}

TEST(BodyBudget, OneAddressStopsAtItsShareWhileOthersGoOn) {
    BodyBudget budget(1000, 400);
    auto first = budget.open("192.0.2.1");
    auto second = budget.open("192.0.2.1");
    ASSERT_EQ(first.grow_to(300), BodyBudget::Shortfall::none);
    EXPECT_EQ(second.grow_to(101), BodyBudget::Shortfall::address);
    EXPECT_EQ(second.bytes(), 0u) << "a refused growth holds what it held";
    EXPECT_EQ(second.grow_to(100), BodyBudget::Shortfall::none);
    auto other = budget.open("192.0.2.2");
    EXPECT_EQ(other.grow_to(400), BodyBudget::Shortfall::none);
}

TEST(BodyBudget, TheWholeBudgetIsSharedByEveryAddress) {
    BodyBudget budget(1000, 400);
    std::vector<BodyBudget::Reservation> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(budget.open("192.0.2." + std::to_string(i)));
        ASSERT_EQ(held.back().grow_to(300), BodyBudget::Shortfall::none);
    }
    auto late = budget.open("192.0.2.9");
    EXPECT_EQ(late.grow_to(101), BodyBudget::Shortfall::server);
    EXPECT_EQ(late.grow_to(100), BodyBudget::Shortfall::none);
}

TEST(BodyBudget, DroppingAReservationGivesItsBytesBack) {
    BodyBudget budget(1000, 400);
    {
        auto moved_from = budget.open("192.0.2.1");
        ASSERT_EQ(moved_from.grow_to(250), BodyBudget::Shortfall::none);
        BodyBudget::Reservation held = std::move(moved_from);
        EXPECT_EQ(budget.in_use(), 250u);
    }
    EXPECT_EQ(budget.in_use(), 0u);
    EXPECT_EQ(budget.tracked_addresses(), 0u);
}

TEST(RefusalsInFlight, PastTheBoundNoTicketUntilOneEnds) {
    RefusalsInFlight refusals(2);
    auto first = refusals.try_enter();
    std::optional<RefusalsInFlight::Ticket> second = refusals.try_enter();
    ASSERT_TRUE(first);
    ASSERT_TRUE(second);
    EXPECT_FALSE(refusals.try_enter());
    EXPECT_EQ(refusals.in_flight(), 2u);
    second.reset();
    EXPECT_TRUE(refusals.try_enter());
    EXPECT_EQ(refusals.in_flight(), 1u) << "the ticket above ended with its statement";
}

}  // namespace
}  // namespace calrt::server
