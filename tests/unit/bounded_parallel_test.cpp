// gather_bounded, which the availability windows run through: a task that throws leaves its
// result as the failure it started as, never as a result nobody stored (review N14: the windows
// started as a successful null pointer, which the caller then dereferenced).
#include "calrt/net/bounded_parallel.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <memory>
#include <stdexcept>

#include "calrt/core/error.hpp"

namespace calrt::net {
namespace {

namespace asio = boost::asio;
using Answer = Result<std::shared_ptr<const int>>;

asio::awaitable<Answer> answer_or_throw(std::size_t i) {
    if (i == 1) throw std::runtime_error("window task failed");
    co_return std::make_shared<const int>(static_cast<int>(i) * 10);
}

TEST(GatherBounded, ATaskThatThrowsLeavesItsResultAsTheUnfinishedError) {
    asio::io_context io;
    const Answer unfinished = Error::make(ErrorKind::internal, "unfinished", "no answer");
    auto gathered = asio::co_spawn(
        io, gather_bounded<Answer>(io.get_executor(), 3, 2, answer_or_throw, unfinished), asio::use_future);
    io.run();
    const auto results = gathered.get();

    ASSERT_EQ(results.size(), 3u);
    ASSERT_TRUE(results[0]);
    EXPECT_EQ(**results[0], 0);
    ASSERT_FALSE(results[1]) << "a success here would hold a null pointer";
    EXPECT_EQ(results[1].error().code, "unfinished");
    ASSERT_TRUE(results[2]);
    EXPECT_EQ(**results[2], 20);
}

}  // namespace
}  // namespace calrt::net
