// Once-claims and budget windows in the store (issue 24; issue 22's daily caps), on both
// backends: what holds for one store, for two stores on one database (two processes on the
// SQLite file, two replicas on PostgreSQL) asking at once, across a reopen, and the prune of
// what has expired.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <string>
#include <vector>

#include "calrt/store/webhook_store.hpp"
#include "support/io_threads.hpp"
#include "support/running_server.hpp"
#include "support/store_backend_fixture.hpp"

namespace calrt::store {
namespace {

using namespace std::chrono_literals;

// Four days back in milliseconds: past kSharedStateRetention (three days).
constexpr std::string_view kFourDaysMs = "345600000";

class SharedCounters : public test::StoreBackendTest {
  protected:
    std::unique_ptr<WebhookStore> open(std::chrono::milliseconds prune_interval = 1h) {
        auto options = store_options(metrics_);
        options.retention_prune_interval = prune_interval;
        auto opened = WebhookStore::open(options);
        EXPECT_TRUE(opened) << opened.error().message;
        return opened ? std::move(*opened) : nullptr;
    }

    bool claim(WebhookStore& store, std::string key) {
        const auto claimed = io_.run(store.claim_once(std::move(key)));
        EXPECT_TRUE(claimed) << claimed.error().message;
        return claimed && *claimed;
    }

    BudgetTaken take(WebhookStore& store, BudgetTake request) {
        const auto taken = io_.run(store.take_budget(std::move(request)));
        EXPECT_TRUE(taken) << taken.error().message;
        return taken ? *taken : BudgetTaken{};
    }

    // The io threads before any store (declared first, destroyed last): a store must go before
    // the execution contexts of the coroutines awaiting it (webhook_store.hpp).
    test::IoThreads io_{4};
    MetricsRegistry metrics_;
};

CALRT_FOR_BOTH_STORE_BACKENDS(SharedCounters);

TEST_P(SharedCounters, AKeyIsClaimedTheFirstTimeOnlyAndStaysClaimedAfterAReopen) {
    {
        auto store = open();
        ASSERT_TRUE(store);
        EXPECT_TRUE(claim(*store, "webhook:wh_1"));
        EXPECT_FALSE(claim(*store, "webhook:wh_1"));
        EXPECT_TRUE(claim(*store, "webhook:wh_2")) << "another key is its own claim";
    }
    auto reopened = open();
    ASSERT_TRUE(reopened);
    EXPECT_FALSE(claim(*reopened, "webhook:wh_1")) << "the claim was committed";
}

TEST_P(SharedCounters, TwoStoresOnOneDatabaseRacingForTheSameKeysEachGetOneWinnerPerKey) {
    auto first = open();
    auto second = open();
    ASSERT_TRUE(first && second);
    constexpr int kKeys = 20;
    constexpr int kClaimsPerStore = 3;
    std::vector<std::vector<std::future<Result<bool>>>> claims(kKeys);
    for (int key = 0; key < kKeys; ++key) {
        for (int n = 0; n < kClaimsPerStore; ++n) {
            for (WebhookStore* store : {first.get(), second.get()}) {
                claims[key].push_back(
                    io_.spawn(store->claim_once("call:rtc_" + std::to_string(key))));
            }
        }
    }
    for (int key = 0; key < kKeys; ++key) {
        int winners = 0;
        for (auto& claim : claims[key]) {
            const auto claimed = claim.get();
            ASSERT_TRUE(claimed) << claimed.error().message;
            winners += *claimed ? 1 : 0;
        }
        EXPECT_EQ(winners, 1) << "key " << key;
    }
}

TEST_P(SharedCounters, ConcurrentTakesFromTwoStoresNeverExceedTheLimit) {
    auto first = open();
    auto second = open();
    ASSERT_TRUE(first && second);
    constexpr int kTakesPerStore = 50;
    constexpr std::int64_t kLimit = 37;
    std::vector<std::future<Result<BudgetTaken>>> takes;
    for (int n = 0; n < kTakesPerStore; ++n) {
        for (WebhookStore* store : {first.get(), second.get()}) {
            takes.push_back(io_.spawn(store->take_budget(BudgetTake{
                .key = "bookings:day", .window = 20'000, .amount = 1, .limit = kLimit})));
        }
    }
    int allowed = 0;
    std::vector<bool> seen_used(kLimit + 1, false);
    for (auto& pending : takes) {
        const auto taken = pending.get();
        ASSERT_TRUE(taken) << taken.error().message;
        if (!taken->allowed) {
            EXPECT_EQ(taken->used, kLimit) << "a refusal reports the full window";
            continue;
        }
        ++allowed;
        ASSERT_GE(taken->used, 1);
        ASSERT_LE(taken->used, kLimit);
        EXPECT_FALSE(seen_used[static_cast<std::size_t>(taken->used)])
            << "two takes were both told they made the use " << taken->used;
        seen_used[static_cast<std::size_t>(taken->used)] = true;
    }
    EXPECT_EQ(allowed, kLimit);
    const auto now =
        take(*second, {.key = "bookings:day", .window = 20'000, .amount = 0, .limit = kLimit});
    EXPECT_EQ(now.used, kLimit);
}

TEST_P(SharedCounters, ATakeBeyondTheRemainderIsRefusedAndChangesNothing) {
    auto store = open();
    ASSERT_TRUE(store);
    const auto seven = take(*store, {.key = "k", .window = 1, .amount = 7, .limit = 10});
    EXPECT_TRUE(seven.allowed);
    EXPECT_EQ(seven.used, 7);
    const auto four = take(*store, {.key = "k", .window = 1, .amount = 4, .limit = 10});
    EXPECT_FALSE(four.allowed);
    EXPECT_EQ(four.used, 7);
    const auto three = take(*store, {.key = "k", .window = 1, .amount = 3, .limit = 10});
    EXPECT_TRUE(three.allowed);
    EXPECT_EQ(three.used, 10);

    const auto whole = take(*store, {.key = "fresh", .window = 1, .amount = 11, .limit = 10});
    EXPECT_FALSE(whole.allowed) << "more than the whole budget, in a window not yet used";
    EXPECT_EQ(whole.used, 0);
    const auto ten = take(*store, {.key = "fresh", .window = 1, .amount = 10, .limit = 10});
    EXPECT_TRUE(ten.allowed);
    EXPECT_EQ(ten.used, 10) << "the refused take left nothing behind";
}

TEST_P(SharedCounters, WindowsAndKeysAreCountedApart) {
    auto store = open();
    ASSERT_TRUE(store);
    EXPECT_TRUE(take(*store, {.key = "a", .window = 1, .amount = 2, .limit = 2}).allowed);
    EXPECT_FALSE(take(*store, {.key = "a", .window = 1, .amount = 1, .limit = 2}).allowed);
    const auto next_window = take(*store, {.key = "a", .window = 2, .amount = 1, .limit = 2});
    EXPECT_TRUE(next_window.allowed);
    EXPECT_EQ(next_window.used, 1);
    const auto other_key = take(*store, {.key = "b", .window = 1, .amount = 1, .limit = 2});
    EXPECT_TRUE(other_key.allowed);
    EXPECT_EQ(other_key.used, 1);
}

TEST_P(SharedCounters, ALimitOfZeroOrLessCountsWithoutLimit) {
    auto store = open();
    ASSERT_TRUE(store);
    EXPECT_EQ(take(*store, {.key = "k", .window = 1, .amount = 1'000, .limit = 0}).used, 1'000);
    const auto negative = take(*store, {.key = "k", .window = 1, .amount = 500, .limit = -1});
    EXPECT_TRUE(negative.allowed);
    EXPECT_EQ(negative.used, 1'500);
}

TEST_P(SharedCounters, GivingBackLowersTheUseButNeverBelowZero) {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(take(*store, {.key = "k", .window = 1, .amount = 2, .limit = 2}).allowed);
    const auto one = io_.run(store->give_back_budget("k", 1, 1));
    ASSERT_TRUE(one) << one.error().message;
    EXPECT_EQ(*one, 1);
    EXPECT_TRUE(take(*store, {.key = "k", .window = 1, .amount = 1, .limit = 2}).allowed)
        << "what was given back can be taken again";
    const auto floor = io_.run(store->give_back_budget("k", 1, 5));
    ASSERT_TRUE(floor) << floor.error().message;
    EXPECT_EQ(*floor, 0);
    const auto unknown = io_.run(store->give_back_budget("never-taken", 1, 1));
    ASSERT_TRUE(unknown) << unknown.error().message;
    EXPECT_EQ(*unknown, 0);
}

TEST_P(SharedCounters, ANegativeAmountIsRefused) {
    auto store = open();
    ASSERT_TRUE(store);
    const auto taken =
        io_.run(store->take_budget({.key = "k", .window = 1, .amount = -1, .limit = 5}));
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().code, "invalid_budget_amount");
    const auto given = io_.run(store->give_back_budget("k", 1, -1));
    ASSERT_FALSE(given);
    EXPECT_EQ(given.error().code, "invalid_budget_amount");
}

TEST_P(SharedCounters, TheUseSurvivesAReopen) {
    {
        auto store = open();
        ASSERT_TRUE(store);
        ASSERT_TRUE(take(*store, {.key = "k", .window = 1, .amount = 3, .limit = 5}).allowed);
    }
    auto reopened = open();
    ASSERT_TRUE(reopened);
    const auto more = take(*reopened, {.key = "k", .window = 1, .amount = 3, .limit = 5});
    EXPECT_FALSE(more.allowed);
    EXPECT_EQ(more.used, 3);
}

TEST_P(SharedCounters, ClaimsAndWindowsOlderThanThreeDaysAreDeletedWhenTheStoreOpens) {
    {
        auto store = open();
        ASSERT_TRUE(store);
        ASSERT_TRUE(claim(*store, "old"));
        ASSERT_TRUE(claim(*store, "recent"));
        ASSERT_TRUE(take(*store, {.key = "old", .window = 1, .amount = 5, .limit = 5}).allowed);
        ASSERT_TRUE(take(*store, {.key = "recent", .window = 1, .amount = 5, .limit = 5}).allowed);
        execute_sql(*store, "UPDATE once_claims SET claimed_at_ms = claimed_at_ms - " +
                                std::string(kFourDaysMs) + " WHERE claim_key = 'old'");
        execute_sql(*store, "UPDATE shared_budgets SET updated_at_ms = updated_at_ms - " +
                                std::string(kFourDaysMs) + " WHERE budget_key = 'old'");
    }
    auto reopened = open();
    ASSERT_TRUE(reopened);
    EXPECT_TRUE(claim(*reopened, "old")) << "the expired claim was deleted";
    EXPECT_FALSE(claim(*reopened, "recent"));
    EXPECT_EQ(take(*reopened, {.key = "old", .window = 1, .amount = 0, .limit = 5}).used, 0);
    EXPECT_EQ(take(*reopened, {.key = "recent", .window = 1, .amount = 0, .limit = 5}).used, 5);
}

TEST_P(SharedCounters, ClaimsThatExpireWhileTheStoreRunsAreDeletedByThePeriodicPrune) {
    auto store = open(50ms);
    ASSERT_TRUE(store);
    ASSERT_TRUE(claim(*store, "old"));
    ASSERT_TRUE(take(*store, {.key = "old", .window = 1, .amount = 5, .limit = 5}).allowed);
    execute_sql(*store, "UPDATE once_claims SET claimed_at_ms = claimed_at_ms - " +
                            std::string(kFourDaysMs));
    execute_sql(*store, "UPDATE shared_budgets SET updated_at_ms = updated_at_ms - " +
                            std::string(kFourDaysMs));

    // Claiming again succeeds once the prune has deleted the claim (a take, even of 0, would
    // touch the window and so keep it).
    EXPECT_TRUE(test::wait_until([&] { return claim(*store, "old"); }));
    EXPECT_EQ(take(*store, {.key = "old", .window = 1, .amount = 0, .limit = 5}).used, 0)
        << "the window went in the same prune";
}

}  // namespace
}  // namespace calrt::store

namespace calrt::store {
namespace {

class SharedValues : public SharedCounters {
  protected:
    std::int64_t raise(WebhookStore& store, std::string key, std::int64_t value) {
        const auto raised = io_.run(store.raise_shared_value(std::move(key), value));
        EXPECT_TRUE(raised) << raised.error().message;
        return raised ? *raised : -1;
    }
    std::int64_t read(WebhookStore& store, std::string key) {
        const auto value = io_.run(store.shared_value(std::move(key)));
        EXPECT_TRUE(value) << value.error().message;
        return value ? *value : -1;
    }
};

CALRT_FOR_BOTH_STORE_BACKENDS(SharedValues);

TEST_P(SharedValues, AValueOnlyGrowsIsSharedByTwoStoresAndOutlivesAReopen) {
    auto first = open();
    auto second = open();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(read(*first, "calendly:paused_until:reads"), 0) << "none yet";
    EXPECT_EQ(raise(*first, "calendly:paused_until:reads", 1'000), 1'000);
    EXPECT_EQ(read(*second, "calendly:paused_until:reads"), 1'000) << "the other replica sees it";
    EXPECT_EQ(raise(*second, "calendly:paused_until:reads", 500), 1'000) << "a smaller value changes nothing";
    EXPECT_EQ(raise(*second, "calendly:paused_until:reads", 2'000), 2'000);
    EXPECT_EQ(read(*first, "calendly:paused_until:bookings"), 0) << "keys are apart";

    // Many raises from both at once: the largest wins.
    std::vector<std::future<Result<std::int64_t>>> raised;
    for (std::int64_t value = 2'100; value <= 4'000; value += 100) {
        raised.push_back(io_.spawn(first->raise_shared_value("calendly:paused_until:reads", value)));
        raised.push_back(io_.spawn(second->raise_shared_value("calendly:paused_until:reads", 6'000 - value)));
    }
    for (auto& pending : raised) ASSERT_TRUE(pending.get());
    EXPECT_EQ(read(*second, "calendly:paused_until:reads"), 4'000);

    first.reset();
    second.reset();
    auto reopened = open();
    ASSERT_TRUE(reopened);
    EXPECT_EQ(read(*reopened, "calendly:paused_until:reads"), 4'000);
}

TEST_P(SharedValues, AValueIsNotABudgetWindow) {
    auto store = open();
    ASSERT_TRUE(store);
    raise(*store, "shared", 7);
    // A budget of the same key counts in its own windows, from 0.
    EXPECT_EQ(take(*store, {"shared", 20'000, 1, 5}).used, 1);
    EXPECT_EQ(read(*store, "shared"), 7);
}

}  // namespace
}  // namespace calrt::store

namespace calrt::store {
namespace {

// 2027-01-15T10:00:00Z, and leases of 30 s from then.
const Timestamp kLeaseNow = Timestamp(std::chrono::sys_days(std::chrono::year(2027) / 1 / 15)) + 10h;

class SessionLeases : public SharedCounters {
  protected:
    std::optional<std::int64_t> lease(WebhookStore& store, std::string holder, std::string replica,
                                      Timestamp now = kLeaseNow, std::int64_t places = 2) {
        LeaseTake take;
        take.key = "relay:address:198.51.100.7";
        take.holder = std::move(holder);
        take.replica = std::move(replica);
        take.places = places;
        take.now = now;
        take.expires_at = now + 30s;
        const auto taken = io_.run(store.take_lease(std::move(take)));
        EXPECT_TRUE(taken) << taken.error().message;
        return taken ? *taken : std::nullopt;
    }
};

CALRT_FOR_BOTH_STORE_BACKENDS(SessionLeases);

TEST_P(SessionLeases, TwoReplicasShareThePlacesAndAReleasedPlaceIsFreeAgain) {
    auto first = open();
    auto second = open();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(lease(*first, "a:1", "a"), 0);
    EXPECT_EQ(lease(*second, "b:1", "b"), 1);
    EXPECT_EQ(lease(*first, "a:2", "a"), std::nullopt) << "both places are held";
    EXPECT_TRUE(io_.run(second->release_lease("relay:address:198.51.100.7", 1, "b:1")));
    EXPECT_EQ(lease(*first, "a:2", "a"), 1);
    // Only the holder gives a place back.
    EXPECT_TRUE(io_.run(second->release_lease("relay:address:198.51.100.7", 1, "b:1")));
    EXPECT_EQ(lease(*second, "b:2", "b"), std::nullopt);
}

TEST_P(SessionLeases, ConcurrentTakesFromTwoReplicasNeverHoldMoreThanThePlaces) {
    auto first = open();
    auto second = open();
    ASSERT_TRUE(first && second);
    std::vector<std::future<Result<std::optional<std::int64_t>>>> taken;
    for (int i = 0; i < 10; ++i) {
        for (auto* store : {first.get(), second.get()}) {
            LeaseTake take{"relay:address:198.51.100.7", "h:" + std::to_string(taken.size()), "r", 3, kLeaseNow,
                           kLeaseNow + 30s};
            taken.push_back(io_.spawn(store->take_lease(std::move(take))));
        }
    }
    std::vector<std::int64_t> places;
    for (auto& pending : taken) {
        const auto place = pending.get();
        ASSERT_TRUE(place) << place.error().message;
        if (*place) places.push_back(**place);
    }
    std::sort(places.begin(), places.end());
    EXPECT_EQ(places, (std::vector<std::int64_t>{0, 1, 2}));
}

TEST_P(SessionLeases, ALeaseNotRenewedRunsOutAndARenewedOneDoesNot) {
    auto store = open();
    ASSERT_TRUE(store);
    EXPECT_EQ(lease(*store, "dead:1", "dead"), 0);
    EXPECT_EQ(lease(*store, "live:1", "live"), 1);
    // 20 s on, the live replica renews for 30 s more; the dead one does not.
    const auto renewed = io_.run(store->renew_leases("live", kLeaseNow + 20s + 30s));
    ASSERT_TRUE(renewed) << renewed.error().message;
    EXPECT_EQ(*renewed, 1u);
    EXPECT_EQ(lease(*store, "new:1", "new", kLeaseNow + 20s), std::nullopt) << "both still held";
    // 31 s on: the dead replica's lease ran out and its place is taken again; the renewed one holds.
    EXPECT_EQ(lease(*store, "new:1", "new", kLeaseNow + 31s), 0);
    EXPECT_EQ(lease(*store, "new:2", "new", kLeaseNow + 31s), std::nullopt);
}

}  // namespace
}  // namespace calrt::store
