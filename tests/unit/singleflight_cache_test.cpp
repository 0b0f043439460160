// SingleflightCache on one single-threaded io_context, driven step by step with poll(): a load that
// throws (review L4), invalidation while a load is in flight, and the entry bound.
#include "calendly/singleflight_cache.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <stdexcept>

namespace calrt::calendly {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Channel = asio::experimental::concurrent_channel<void(boost::system::error_code)>;

class SingleflightCacheTest : public ::testing::Test {
  protected:
    // A load that waits until the test releases it, then answers `value` or throws.
    asio::awaitable<Result<int>> gated_load(int value, bool throws) {
        ++loads;
        co_await gate.async_receive(asio::as_tuple(asio::use_awaitable));
        if (throws) throw std::runtime_error("loader failed");
        co_return value;
    }
    asio::awaitable<Result<int>> immediate_load(int value) {
        ++loads;
        co_return value;
    }
    std::future<Result<int>> get(const std::string& key, int value, bool throws = false) {
        return asio::co_spawn(io, get_coroutine(key, value, throws), asio::use_future);
    }
    asio::awaitable<Result<int>> get_coroutine(std::string key, int value, bool throws) {
        co_return co_await cache.get(key,
                                     [this, value, throws] { return gated_load(value, throws); });
    }
    Result<int> get_now(const std::string& key, int value) {
        return get_now_from(cache, key, value);
    }
    Result<int> get_now_from(SingleflightCache<int>& from, const std::string& key, int value) {
        auto result = asio::co_spawn(io, get_immediate(from, key, value), asio::use_future);
        settle();
        return result.get();
    }
    asio::awaitable<Result<int>> get_immediate(SingleflightCache<int>& from, std::string key,
                                               int value) {
        co_return co_await from.get(key, [this, value] { return immediate_load(value); });
    }
    void release_load() {
        gate.try_send(boost::system::error_code{});
        io.restart();
        io.poll();
    }
    void settle() {
        io.restart();
        io.poll();
    }

    asio::io_context io;
    Channel gate{io, 1};
    SingleflightCache<int> cache{1h};
    int loads = 0;
};

TEST_F(SingleflightCacheTest, LoadThatThrowsWakesItsWaitersWithAnErrorAndTheKeyLoadsAgain) {
    auto loader = get("k", 1, /*throws=*/true);
    auto waiter_a = get("k", 2);
    auto waiter_b = get("k", 3);
    settle();
    ASSERT_EQ(loads, 1) << "the waiters share the one load";

    release_load();

    EXPECT_THROW(loader.get(), std::runtime_error) << "the loader's own caller sees the exception";
    ASSERT_EQ(waiter_a.wait_for(0s), std::future_status::ready) << "waiters are not left hanging";
    auto a = waiter_a.get();
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, "cache_load_failed");
    EXPECT_FALSE(waiter_b.get());

    auto later = get_now("k", 7);
    ASSERT_TRUE(later) << later.error().message;
    EXPECT_EQ(*later, 7);
    EXPECT_EQ(loads, 2);
}

TEST_F(SingleflightCacheTest, SuccessfulLoadIsSharedAndKept) {
    auto loader = get("k", 5);
    auto waiter = get("k", 6);
    settle();
    release_load();
    EXPECT_EQ(*loader.get(), 5);
    EXPECT_EQ(*waiter.get(), 5);
    EXPECT_EQ(*get_now("k", 9), 5) << "cached";
    EXPECT_EQ(loads, 1);
}

TEST_F(SingleflightCacheTest, AnswerLoadedAcrossAnInvalidationIsReturnedButNotKept) {
    auto loader = get("type-a/window", 1);
    settle();
    cache.invalidate_prefix("type-a/");
    release_load();
    EXPECT_EQ(*loader.get(), 1);
    EXPECT_EQ(*get_now("type-a/window", 2), 2) << "loaded again";
}

TEST_F(SingleflightCacheTest, InvalidatePrefixDropsOnlyMatchingKeys) {
    ASSERT_TRUE(get_now("a/1", 1));
    ASSERT_TRUE(get_now("a/2", 2));
    ASSERT_TRUE(get_now("b/1", 3));
    cache.invalidate_prefix("a/");
    EXPECT_EQ(*get_now("a/1", 10), 10);
    EXPECT_EQ(*get_now("a/2", 20), 20);
    EXPECT_EQ(*get_now("b/1", 30), 3);
}

TEST_F(SingleflightCacheTest, FreshGivesOnlyALoadedUnexpiredValueAndNeverLoads) {
    EXPECT_FALSE(cache.fresh("k")) << "never loaded";
    auto loader = get("k", 4);
    settle();
    EXPECT_FALSE(cache.fresh("k")) << "still loading";
    release_load();
    ASSERT_EQ(*loader.get(), 4);
    EXPECT_EQ(cache.fresh("k"), std::optional<int>(4));
    cache.invalidate("k");
    EXPECT_FALSE(cache.fresh("k")) << "invalidated";

    SingleflightCache<int> expiring(0ms);
    ASSERT_TRUE(get_now_from(expiring, "k", 5));
    EXPECT_FALSE(expiring.fresh("k")) << "past its TTL";
    EXPECT_EQ(loads, 2) << "fresh() loaded nothing";
}

TEST_F(SingleflightCacheTest, BoundedCacheEvictsTheOldestEntry) {
    SingleflightCache<int> bounded(1h, 2);
    const auto get_from = [&](const std::string& key, int value) {
        return get_now_from(bounded, key, value);
    };
    ASSERT_TRUE(get_from("first", 1));
    ASSERT_TRUE(get_from("second", 2));
    ASSERT_TRUE(get_from("third", 3));
    EXPECT_EQ(bounded.size(), 2u);
    EXPECT_EQ(*get_from("second", 20), 2) << "still cached";
    EXPECT_EQ(*get_from("first", 10), 10) << "evicted, loaded again";
}

}  // namespace
}  // namespace calrt::calendly
