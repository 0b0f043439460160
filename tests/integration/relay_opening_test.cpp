// A relay session while it opens its upstream Realtime session: it never waits on Calendly for
// the host's name (review L6).
#include <gtest/gtest.h>

#include "support/relay_test_fixture.hpp"
#include "support/running_server.hpp"

namespace calrt::server {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

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

}  // namespace
}  // namespace calrt::server
