// A relay session while it opens its upstream Realtime session: it never waits on Calendly for
// the host's name (review L6), and shutdown does not wait for an upstream that does not answer
// (review M1).
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <atomic>
#include <future>
#include <memory>
#include <vector>

#include "support/relay_test_fixture.hpp"
#include "support/running_server.hpp"

namespace calrt::server {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using nlohmann::json;

// An upstream that accepts TCP connections and never answers them: a connect to it waits for the
// WebSocket upgrade's answer until its own timeout (10 s).
class SilentUpstream {
  public:
    explicit SilentUpstream(asio::io_context& io) : state_(std::make_shared<State>(io)) {
        asio::co_spawn(state_->strand, accept_forever(state_), asio::detached);
    }
    ~SilentUpstream() {
        asio::post(state_->strand, [state = state_] {
            boost::system::error_code ignored;
            state->acceptor.close(ignored);
            state->held.clear();
        });
    }
    SilentUpstream(const SilentUpstream&) = delete;
    SilentUpstream& operator=(const SilentUpstream&) = delete;

    std::string url() const {
        return "ws://127.0.0.1:" + std::to_string(state_->acceptor.local_endpoint().port()) + "/v1/realtime";
    }
    std::size_t connections() const { return state_->accepted; }

  private:
    struct State {
        explicit State(asio::io_context& io)
            : strand(asio::make_strand(io)),
              acceptor(strand, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
        asio::strand<asio::io_context::executor_type> strand;
        tcp::acceptor acceptor;
        std::vector<tcp::socket> held;  // strand only
        std::atomic<std::size_t> accepted{0};
    };

    static asio::awaitable<void> accept_forever(std::shared_ptr<State> state) {
        for (;;) {
            auto [ec, socket] = co_await state->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            state->held.push_back(std::move(socket));
            ++state->accepted;
        }
    }

    std::shared_ptr<State> state_;
};

class RelayOpeningTest : public test::RelayTestFixture {};

TEST_F(RelayOpeningTest, SessionOpensAtOnceWhileCalendlyHangsOnTheHostUser) {
    auto hang = calrt::testing::FaultPlan::hang(100);
    hang.hang_for = 3s;  // past the test; the fake then answers 504
    fake_calendly.inject("/users/me", hang);
    calendly_options.retry.max_attempts = 1;  // the background lookup ends soon after the test
    start();
    const auto opened_at = std::chrono::steady_clock::now();
    auto browser = open();
    ASSERT_TRUE(read_until(browser, of_type("session.updated")));
    EXPECT_LT(std::chrono::steady_clock::now() - opened_at, 2s);
    // Without the host's name the instructions speak of "the host".
    ASSERT_FALSE(fake_realtime.session_updates().empty());
    const auto instructions = fake_realtime.session_updates().front().value("instructions", "");
    EXPECT_NE(instructions.find("the host"), std::string::npos) << instructions;
}

TEST_F(RelayOpeningTest, HostNameCalendlyGaveEarlierIsUsedWithoutAskingAgain) {
    start();
    ASSERT_TRUE(io.run(calendly_client->current_user()));
    fake_calendly.reset_counts();
    fake_calendly.inject("/users/me", calrt::testing::FaultPlan::error(500, 100));
    auto browser = open();
    ASSERT_TRUE(read_until(browser, of_type("session.updated")));
    ASSERT_FALSE(fake_realtime.session_updates().empty());
    const auto instructions = fake_realtime.session_updates().front().value("instructions", "");
    EXPECT_NE(instructions.find("Alex Rivera"), std::string::npos) << instructions;
    EXPECT_EQ(fake_calendly.request_count("/users/me"), 0u);
}

TEST_F(RelayOpeningTest, ShutdownEndsASessionStillWaitingForItsUpstream) {
    SilentUpstream upstream(io.io);
    start();
    relay_context->upstream.url = upstream.url();
    auto browser = open();
    ASSERT_TRUE(test::wait_until([&] { return upstream.connections() == 1; }));

    auto drained = std::make_shared<std::promise<void>>();
    const auto started = std::chrono::steady_clock::now();
    http->shutdown(10s, [drained] { drained->set_value(); });
    EXPECT_FALSE(read_until(browser, [](const json&) { return false; }));
    ASSERT_TRUE(browser.peer_close());
    EXPECT_EQ(browser.peer_close()->code, net::close_code::going_away);
    // The connect's own timeout is 10 s and the grace period 10 s: neither was waited for.
    ASSERT_EQ(drained->get_future().wait_for(5s), std::future_status::ready);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    EXPECT_TRUE(test::wait_until([&] { return active_sessions() == 0; }));
}

}  // namespace
}  // namespace calrt::server
