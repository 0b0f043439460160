// A connection's one deadline (server/connection_deadline.hpp) over a real socket: it closes the
// socket when it passes, not before; moved later it waits for the new time; moved earlier it
// wakes sooner; cleared it lets an operation take as long as it takes; stopped or destroyed it
// closes nothing; and expired() tells its own close from any other cancel.
#include "server/connection_deadline.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <optional>

namespace calrt::server {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

// A connected pair on loopback; the deadline watches `server`, whose read waits for bytes that the
// client never sends.
class ConnectionDeadlineTest : public ::testing::Test {
  protected:
    ConnectionDeadlineTest() : acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}), server(io), client(io) {
        client.connect(acceptor.local_endpoint());
        acceptor.accept(server);
    }

    // Starts a read on `server` and runs the context until it completes; how long it took and how.
    std::pair<clock::duration, boost::system::error_code> read_until_done(std::chrono::milliseconds give_up = 5s) {
        std::optional<boost::system::error_code> result;
        std::array<char, 16> bytes;
        server.async_read_some(asio::buffer(bytes), [&](boost::system::error_code ec, std::size_t) { result = ec; });
        const auto started = clock::now();
        asio::steady_timer guard(io, give_up);
        guard.async_wait([&](boost::system::error_code ec) {
            if (!ec && !result) server.cancel();  // the test's own limit, not the deadline's
        });
        while (!result && io.run_one()) {
        }
        const auto took = clock::now() - started;
        guard.cancel();
        io.restart();
        io.poll();
        return {took, result.value_or(boost::system::error_code{})};
    }

    // The first deadline sets the watch; the second, set right after, is the one that counts.
    void expect_closed_by_the_second(std::chrono::milliseconds first, std::chrono::milliseconds second) {
        ConnectionDeadline deadline(io.get_executor(), server);
        deadline.expires_after(first);
        deadline.expires_after(second);
        const auto [took, ec] = read_until_done();
        EXPECT_EQ(ec, asio::error::operation_aborted);
        EXPECT_TRUE(deadline.expired());
        EXPECT_GE(took, second - 5ms);
        EXPECT_LT(took, second + 2s);
    }

    asio::io_context io;
    asio::ip::tcp::acceptor acceptor;
    asio::ip::tcp::socket server;
    asio::ip::tcp::socket client;
};

TEST_F(ConnectionDeadlineTest, ClosesTheSocketWhenItPassesAndSaysSo) {
    ConnectionDeadline deadline(io.get_executor(), server);
    deadline.expires_after(100ms);
    const auto [took, ec] = read_until_done();
    EXPECT_EQ(ec, asio::error::operation_aborted);
    EXPECT_TRUE(deadline.expired());
    EXPECT_FALSE(server.is_open());
    EXPECT_GE(took, 95ms);
    EXPECT_LT(took, 2s);
}

TEST_F(ConnectionDeadlineTest, MovedLaterItWaitsForTheNewTime) {
    expect_closed_by_the_second(50ms, 300ms);
}

TEST_F(ConnectionDeadlineTest, MovedEarlierItWakesSooner) {
    expect_closed_by_the_second(30'000ms, 100ms);
}

TEST_F(ConnectionDeadlineTest, ClearedItLetsTheOperationRunAndAnotherCancelIsNotAnExpiry) {
    ConnectionDeadline deadline(io.get_executor(), server);
    deadline.expires_after(50ms);
    deadline.expires_never();
    // Past the cleared deadline the read is still waiting; the test's own limit ends it.
    const auto [took, ec] = read_until_done(300ms);
    EXPECT_EQ(ec, asio::error::operation_aborted);
    EXPECT_FALSE(deadline.expired());
    EXPECT_TRUE(server.is_open());
    EXPECT_GE(took, 295ms);
}

TEST_F(ConnectionDeadlineTest, AnOperationThatEndsInTimeIsNotCutAndTheNextGetsItsOwnDeadline) {
    ConnectionDeadline deadline(io.get_executor(), server);
    deadline.expires_after(200ms);
    asio::write(client, asio::buffer(std::string_view("x")));
    const auto [first_took, first_ec] = read_until_done();
    EXPECT_FALSE(first_ec);
    EXPECT_FALSE(deadline.expired());
    deadline.expires_after(100ms);
    const auto [took, ec] = read_until_done();
    EXPECT_EQ(ec, asio::error::operation_aborted);
    EXPECT_TRUE(deadline.expired());
}

TEST_F(ConnectionDeadlineTest, GoneBeforeItsDeadlineItClosesNothing) {
    {
        ConnectionDeadline deadline(io.get_executor(), server);
        deadline.expires_after(50ms);
    }
    const auto [took, ec] = read_until_done(200ms);
    EXPECT_EQ(ec, asio::error::operation_aborted);  // the test's own limit
    EXPECT_TRUE(server.is_open());
}

TEST_F(ConnectionDeadlineTest, StoppedItClosesNothingAndExpiresNoMore) {
    ConnectionDeadline deadline(io.get_executor(), server);
    deadline.expires_after(50ms);
    deadline.stop();
    const auto [took, ec] = read_until_done(200ms);
    EXPECT_EQ(ec, asio::error::operation_aborted);  // the test's own limit
    EXPECT_FALSE(deadline.expired());
    EXPECT_TRUE(server.is_open());
}

}  // namespace
}  // namespace calrt::server
