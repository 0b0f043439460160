// The daily caps on bookings and links (tools/booking_caps.hpp): in this process, and over the real
// webhook store on both backends, where two BookingCaps on two stores over one database (two
// replicas) take from one count, a reopened store (a restart) keeps the day's counts, the store
// never holds an address or an email in plain text, and a store that cannot answer leaves the
// replica enforcing the caps by itself (issue 22).
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

#include "calrt/core/sha256.hpp"
#include "calrt/core/time.hpp"
#include "calrt/store/webhook_store.hpp"
#include "calrt/tools/booking_caps.hpp"
#include "support/io_threads.hpp"
#include "support/store_backend_fixture.hpp"

namespace calrt::tools {
namespace {

using namespace std::chrono_literals;

// 2026-11-29T23:59:00Z: a minute before the next UTC day.
Timestamp late_on_a_day() {
    return Timestamp(std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + 23h + 59min);
}

constexpr std::string_view kAddress = "198.51.100.7";
constexpr std::string_view kOtherAddress = "203.0.113.9";

class BookingCapsTest : public ::testing::Test {
  protected:
    Result<void> book(BookingCaps& caps, std::string_view address, std::string_view email) {
        return io_.run(caps.take_booking(address, email));
    }
    void give_back(BookingCaps& caps, std::string_view address, std::string_view email) {
        io_.run(caps.give_back_booking(address, email));
    }
    bool link(BookingCaps& caps) { return static_cast<bool>(io_.run(caps.take_link())); }

    test::IoThreads io_{2};
    ManualClock clock_{late_on_a_day()};
};

TEST_F(BookingCapsTest, OneAddressIsRefusedPastItsCapUntilTheNextUtcDay) {
    BookingCaps caps({.bookings_per_day = 100, .bookings_per_address_per_day = 2}, clock_);
    EXPECT_TRUE(book(caps, kAddress, "a@example.com"));
    EXPECT_TRUE(book(caps, kAddress, "b@example.com"));
    const auto refused = book(caps, kAddress, "c@example.com");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "booking_quota_exceeded");
    EXPECT_EQ(refused.error().kind, ErrorKind::rate_limited);
    EXPECT_EQ(refused.error().retry_after, 60s);
    EXPECT_NE(refused.error().message.find("this address"), std::string::npos) << refused.error().message;
    EXPECT_TRUE(book(caps, kOtherAddress, "c@example.com")) << "another address has its own cap";
    clock_.advance(61s);
    EXPECT_TRUE(book(caps, kAddress, "d@example.com"));
}

TEST_F(BookingCapsTest, OneEmailIsRefusedPastItsCapWhateverItsCase) {
    BookingCaps caps({.bookings_per_day = 100, .bookings_per_email_per_day = 1}, clock_);
    EXPECT_TRUE(book(caps, kAddress, "Ada@Example.com"));
    const auto refused = book(caps, kOtherAddress, "ada@example.com");
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("this email address"), std::string::npos) << refused.error().message;
    EXPECT_TRUE(book(caps, kOtherAddress, "bob@example.com"));
}

TEST_F(BookingCapsTest, ARefusalTakesNothingAndAGivenBackTurnCanBeUsedAgain) {
    BookingCaps caps({.bookings_per_day = 100, .bookings_per_address_per_day = 1, .bookings_per_email_per_day = 1},
                     clock_);
    EXPECT_TRUE(book(caps, kAddress, "ada@example.com"));
    // Refused for the address: the email's count must not grow.
    EXPECT_FALSE(book(caps, kAddress, "bob@example.com"));
    EXPECT_TRUE(book(caps, kOtherAddress, "bob@example.com"));
    give_back(caps, kAddress, "ada@example.com");
    EXPECT_TRUE(book(caps, kAddress, "ada@example.com"));
}

TEST_F(BookingCapsTest, TheServiceCapRefusesPastItAndARefusalThereGivesTheAddressAndEmailBack) {
    BookingCaps caps({.bookings_per_day = 2, .bookings_per_address_per_day = 1, .bookings_per_email_per_day = 1},
                     clock_);
    EXPECT_TRUE(book(caps, kAddress, "ada@example.com"));
    EXPECT_TRUE(book(caps, kOtherAddress, "bob@example.com"));
    const auto refused = book(caps, "192.0.2.1", "carol@example.com");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "daily_booking_limit_reached");
    EXPECT_EQ(refused.error().retry_after, 60s);
    give_back(caps, kAddress, "ada@example.com");
    // Had the refusal kept carol's or her address's unit, their caps of one would refuse her now.
    EXPECT_TRUE(book(caps, "192.0.2.1", "carol@example.com"));
}

TEST_F(BookingCapsTest, AServiceCapOfZeroBooksNothing) {
    BookingCaps caps({.bookings_per_day = 0, .links_per_day = 0}, clock_);
    EXPECT_FALSE(book(caps, kAddress, "ada@example.com"));
    EXPECT_FALSE(link(caps));
}

TEST_F(BookingCapsTest, ZeroPerKeyCapsAndEmptyKeysAreNotCounted) {
    BookingCaps caps({.bookings_per_day = 100}, clock_);
    for (int i = 0; i < 10; ++i) EXPECT_TRUE(book(caps, kAddress, "ada@example.com"));
    BookingCaps per_key({.bookings_per_day = 100, .bookings_per_address_per_day = 1, .bookings_per_email_per_day = 1},
                        clock_);
    EXPECT_TRUE(book(per_key, "", "a@example.com"));
    EXPECT_TRUE(book(per_key, "", "b@example.com"));
    EXPECT_TRUE(book(per_key, "", ""));
    EXPECT_TRUE(book(per_key, "", ""));
}

TEST_F(BookingCapsTest, HostsAreTakenAllOrNothingAndGivenBack) {
    BookingCaps caps({.bookings_per_host_per_day = 1}, clock_);
    const std::vector<std::string> dana{"https://api.calendly.com/users/DANA"};
    const std::vector<std::string> panel{"https://api.calendly.com/users/ALEX", "https://api.calendly.com/users/DANA"};
    EXPECT_TRUE(caps.caps_hosts());
    EXPECT_TRUE(io_.run(caps.take_host_bookings(dana)));
    // The panel needs Dana too: refused, and Alex is not taken either.
    const auto refused = io_.run(caps.take_host_bookings(panel));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "host_booking_limit_reached");
    EXPECT_EQ(refused.error().kind, ErrorKind::rate_limited);
    EXPECT_EQ(refused.error().retry_after, 60s);
    EXPECT_TRUE(io_.run(caps.take_host_bookings({"https://api.calendly.com/users/ALEX"})));
    io_.run(caps.give_back_host_bookings(dana));
    EXPECT_TRUE(io_.run(caps.take_host_bookings(dana)));
    clock_.advance(61s);
    EXPECT_TRUE(io_.run(caps.take_host_bookings(panel))) << "a new UTC day";
}

TEST_F(BookingCapsTest, ARoundRobinIsRefusedOnlyWhenEveryHostIsAtTheCap) {
    BookingCaps caps({.bookings_per_host_per_day = 1}, clock_);
    const std::vector<std::string> sales{"https://api.calendly.com/users/DANA", "https://api.calendly.com/users/PRIYA"};
    EXPECT_TRUE(io_.run(caps.any_host_has_room(sales)));
    io_.run(caps.count_host_booking(sales[0]));
    EXPECT_TRUE(io_.run(caps.any_host_has_room(sales))) << "Priya has room";
    EXPECT_TRUE(io_.run(caps.any_host_has_room(sales))) << "asking takes nothing";
    io_.run(caps.count_host_booking(sales[1]));
    const auto refused = io_.run(caps.any_host_has_room(sales));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "host_booking_limit_reached");
    // Counted whatever the count: Calendly booked it.
    io_.run(caps.count_host_booking(sales[1]));
    EXPECT_FALSE(io_.run(caps.take_host_bookings({sales[1]})));
}

TEST_F(BookingCapsTest, WithoutAPerHostCapNothingIsCounted) {
    BookingCaps caps({.bookings_per_day = 100}, clock_);
    EXPECT_FALSE(caps.caps_hosts());
    const std::vector<std::string> dana{"https://api.calendly.com/users/DANA"};
    for (int i = 0; i < 5; ++i) {
        EXPECT_TRUE(io_.run(caps.take_host_bookings(dana)));
        io_.run(caps.count_host_booking(dana[0]));
    }
    EXPECT_TRUE(io_.run(caps.any_host_has_room(dana)));
}

TEST_F(BookingCapsTest, LinksHaveTheirOwnCapAndAGivenBackLinkCanBeMadeAgain) {
    BookingCaps caps({.bookings_per_day = 1, .links_per_day = 1}, clock_);
    EXPECT_TRUE(link(caps));
    const auto refused = io_.run(caps.take_link());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "daily_link_limit_reached");
    EXPECT_EQ(refused.error().retry_after, 60s);
    io_.run(caps.give_back_link());
    EXPECT_TRUE(link(caps));
    EXPECT_TRUE(book(caps, kAddress, "ada@example.com")) << "links do not use bookings";
}

class BookingCapsStore : public test::StoreBackendTest {
  protected:
    std::unique_ptr<store::WebhookStore> open_store(store::StoreOptions options) {
        auto opened = store::WebhookStore::open(options);
        EXPECT_TRUE(opened) << opened.error().message;
        return opened ? std::move(*opened) : nullptr;
    }
    std::unique_ptr<store::WebhookStore> open_store() { return open_store(store_options(metrics_)); }

    void SetUp() override {
        store_ = open_store();
        ASSERT_TRUE(store_);
    }

    Result<void> book(BookingCaps& caps, std::string_view address, std::string_view email) {
        return io_.run(caps.take_booking(address, email));
    }

    // Declared before the stores: they must go before the io_context (webhook_store.hpp).
    test::IoThreads io_{4};
    MetricsRegistry metrics_;
    ManualClock clock_{late_on_a_day()};
    std::unique_ptr<store::WebhookStore> store_;
};

CALRT_FOR_BOTH_STORE_BACKENDS(BookingCapsStore);

TEST_P(BookingCapsStore, TwoReplicasOnOneDatabaseTakeFromOneCount) {
    auto other_store = open_store();
    ASSERT_TRUE(other_store);
    const BookingCapLimits limits{.bookings_per_day = 5, .links_per_day = 3, .bookings_per_address_per_day = 2};
    BookingCaps first(limits, clock_, *store_);
    BookingCaps second(limits, clock_, *other_store);

    // One address booking on both replicas at once, ten times each: its cap of two holds.
    std::vector<std::future<Result<void>>> booked;
    for (int i = 0; i < 10; ++i) {
        booked.push_back(io_.spawn(first.take_booking(kAddress, "")));
        booked.push_back(io_.spawn(second.take_booking(kAddress, "")));
    }
    int allowed = 0;
    for (auto& pending : booked) {
        const auto outcome = pending.get();
        if (outcome) {
            ++allowed;
        } else {
            EXPECT_EQ(outcome.error().code, "booking_quota_exceeded");
        }
    }
    EXPECT_EQ(allowed, 2);

    // The service's cap: 2 used, 3 left across both.
    EXPECT_TRUE(book(first, "10.0.0.1", ""));
    EXPECT_TRUE(book(second, "10.0.0.2", ""));
    EXPECT_TRUE(book(first, "10.0.0.3", ""));
    const auto refused = book(second, "10.0.0.4", "");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "daily_booking_limit_reached");
    io_.run(first.give_back_booking("10.0.0.3", ""));
    EXPECT_TRUE(book(second, "10.0.0.4", "")) << "a unit given back on one replica is free on the other";

    // Links: three across both.
    EXPECT_TRUE(io_.run(second.take_link()));
    EXPECT_TRUE(io_.run(first.take_link()));
    EXPECT_TRUE(io_.run(second.take_link()));
    EXPECT_FALSE(io_.run(first.take_link()));
}

TEST_P(BookingCapsStore, TwoReplicasShareEachHostsCount) {
    auto other_store = open_store();
    ASSERT_TRUE(other_store);
    const BookingCapLimits limits{.bookings_per_day = 100, .bookings_per_host_per_day = 2};
    BookingCaps first(limits, clock_, *store_);
    BookingCaps second(limits, clock_, *other_store);
    const std::vector<std::string> dana{"https://api.calendly.com/users/DANA"};
    EXPECT_TRUE(io_.run(first.take_host_bookings(dana)));
    io_.run(second.count_host_booking(dana[0]));  // a round robin gave Dana a meeting on the other replica
    const auto refused = io_.run(first.take_host_bookings(dana));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "host_booking_limit_reached");
    EXPECT_FALSE(io_.run(second.any_host_has_room(dana)));
    io_.run(second.give_back_host_bookings(dana));
    EXPECT_TRUE(io_.run(first.take_host_bookings(dana))) << "given back on one replica, free on the other";
}

TEST_P(BookingCapsStore, AReopenedStoreKeepsTheDaysCounts) {
    const BookingCapLimits limits{.bookings_per_day = 10, .bookings_per_email_per_day = 1};
    {
        BookingCaps caps(limits, clock_, *store_);
        ASSERT_TRUE(book(caps, kAddress, "ada@example.com"));
    }
    store_.reset();  // the process stops
    store_ = open_store();
    ASSERT_TRUE(store_);
    BookingCaps restarted(limits, clock_, *store_);
    const auto refused = book(restarted, kOtherAddress, "ADA@example.com");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "booking_quota_exceeded");
    clock_.advance(61s);
    EXPECT_TRUE(book(restarted, kOtherAddress, "ada@example.com")) << "a new UTC day";
}

TEST_P(BookingCapsStore, TheStoreKeepsHashesNeverAnAddressOrAnEmail) {
    BookingCaps caps({.bookings_per_day = 10, .bookings_per_address_per_day = 3, .bookings_per_email_per_day = 3},
                     clock_, *store_);
    ASSERT_TRUE(book(caps, kAddress, "Ada@Example.com"));
    EXPECT_EQ(query_text(*store_, "SELECT count(*) FROM shared_budgets WHERE budget_key LIKE '%198.51%' OR "
                                  "budget_key LIKE '%example%'"),
              "0");
    EXPECT_EQ(query_text(*store_, "SELECT count(*) FROM shared_budgets WHERE budget_key LIKE '%" +
                                      sha256_hex(kAddress) + "' OR budget_key LIKE '%" +
                                      sha256_hex("ada@example.com") + "'"),
              "2")
        << "the address and the lowercased email";
}

TEST_P(BookingCapsStore, WhenTheStoreCannotAnswerThisReplicaEnforcesTheCapsAlone) {
    auto options = store_options(metrics_);
    fail_blocked_writes_fast(options);
    store_.reset();
    store_ = open_store(options);
    ASSERT_TRUE(store_);
    BookingCaps caps({.bookings_per_day = 10, .bookings_per_email_per_day = 1}, clock_, *store_);
    const auto blocker = block_writes(*store_);
    EXPECT_TRUE(book(caps, kAddress, "ada@example.com")) << "the store failing refuses nobody";
    const auto refused = book(caps, kOtherAddress, "ada@example.com");
    ASSERT_FALSE(refused) << "this replica's own count still holds the cap";
    EXPECT_EQ(refused.error().code, "booking_quota_exceeded");
    blocker->release();
}

}  // namespace
}  // namespace calrt::tools
