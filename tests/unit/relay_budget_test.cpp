#include "calrt/server/relay_budget.hpp"

#include <gtest/gtest.h>

#include <string>

namespace calrt::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = SessionBudget::Clock;

const json kResponseCreate = {{"type", "response.create"}};

json user_message() {
    return json{{"type", "conversation.item.create"},
                {"item", {{"type", "message"}, {"role", "user"}, {"content", {{{"type", "input_text"}, {"text", "hi"}}}}}}};
}

// `seconds` of PCM16 24 kHz mono audio, base64 encoded (4 characters for 3 bytes).
std::string audio(double seconds) { return std::string(static_cast<std::size_t>(seconds * 48'000) / 3 * 4, 'A'); }

class SessionBudgetTest : public ::testing::Test {
  protected:
    std::optional<BudgetBreach> charge(SessionBudget& budget, const json& event, Clock::duration at = 0s) {
        return budget.charge(&event, start + at);
    }

    RealtimeRelayConfig config;
    Clock::time_point start = Clock::now();
};

TEST_F(SessionBudgetTest, ResponseCreateBeyondTheBurstBreaksTheRateUntilTokensComeBack) {
    config.responses_per_minute = 20;  // one every 3 s
    config.response_burst = 3;
    SessionBudget budget(config, start);
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(charge(budget, kResponseCreate)) << i;
    const auto breach = charge(budget, kResponseCreate);
    ASSERT_TRUE(breach);
    EXPECT_EQ(breach->limit, "response_rate");
    EXPECT_EQ(breach->reason, "too many responses requested; wait a minute");
    EXPECT_FALSE(charge(budget, kResponseCreate, 3s));
    EXPECT_TRUE(charge(budget, kResponseCreate, 3s));
}

TEST_F(SessionBudgetTest, UserMessagesHaveTheirOwnRate) {
    config.response_burst = 2;
    SessionBudget budget(config, start);
    EXPECT_FALSE(charge(budget, kResponseCreate));
    EXPECT_FALSE(charge(budget, kResponseCreate));
    EXPECT_FALSE(charge(budget, user_message()));
    EXPECT_FALSE(charge(budget, user_message()));
    const auto breach = charge(budget, user_message());
    ASSERT_TRUE(breach);
    EXPECT_EQ(breach->limit, "message_rate");
    EXPECT_EQ(breach->reason, "too many messages sent; wait a minute");
}

TEST_F(SessionBudgetTest, AudioIsCountedInSecondsOfDecodedPcm16) {
    config.session_max_audio_seconds = 1;
    SessionBudget budget(config, start);
    const json append = {{"type", "input_audio_buffer.append"}, {"audio", audio(0.5)}};
    EXPECT_FALSE(charge(budget, append));
    EXPECT_FALSE(charge(budget, append));
    const auto breach = charge(budget, append);
    ASSERT_TRUE(breach);
    EXPECT_EQ(breach->limit, "audio");
    EXPECT_EQ(breach->reason, "session budget used up: audio");
}

TEST_F(SessionBudgetTest, AudioInAUserMessageCountsAsAudio) {
    config.session_max_audio_seconds = 1;
    SessionBudget budget(config, start);
    json spoken = user_message();
    spoken["item"]["content"] = {{{"type", "input_audio"}, {"audio", audio(1.5)}}};
    const auto breach = charge(budget, spoken);
    ASSERT_TRUE(breach);
    EXPECT_EQ(breach->limit, "audio");
}

TEST_F(SessionBudgetTest, EveryMessageCountsTowardsTheMessageBudgetRefusedOnesToo) {
    config.session_max_messages = 3;
    SessionBudget budget(config, start);
    EXPECT_FALSE(budget.charge(nullptr, start));
    EXPECT_FALSE(charge(budget, json{{"type", "input_audio_buffer.commit"}}));
    EXPECT_FALSE(budget.charge(nullptr, start));
    const auto breach = budget.charge(nullptr, start);
    ASSERT_TRUE(breach);
    EXPECT_EQ(breach->limit, "messages");
    EXPECT_EQ(breach->reason, "session budget used up: messages");
}

TEST_F(SessionBudgetTest, ResponsesAreCappedForTheWholeSession) {
    config.responses_per_minute = 1000;
    config.response_burst = 1000;
    config.session_max_responses = 2;
    SessionBudget budget(config, start);
    EXPECT_FALSE(charge(budget, kResponseCreate));
    EXPECT_FALSE(charge(budget, kResponseCreate, 10min));
    const auto breach = charge(budget, kResponseCreate, 20min);
    ASSERT_TRUE(breach);
    EXPECT_EQ(breach->limit, "responses");
    EXPECT_EQ(breach->reason, "session budget used up: responses");
}

TEST_F(SessionBudgetTest, ResponsesTheServerCreatesByItselfCountAgainstTheSessionBudget) {
    // Voice activity with create_response: response.created with no browser response.create.
    config.session_max_responses = 2;
    SessionBudget budget(config, start);
    EXPECT_FALSE(budget.count_response_created());
    EXPECT_FALSE(budget.count_response_created());
    const auto breach = budget.count_response_created();
    ASSERT_TRUE(breach);
    EXPECT_EQ(breach->limit, "responses");
    EXPECT_EQ(breach->reason, "session budget used up: responses");
}

TEST_F(SessionBudgetTest, AResponseTheBrowserAskedForIsCountedOnce) {
    config.responses_per_minute = 1000;
    config.response_burst = 1000;
    config.session_max_responses = 3;
    SessionBudget budget(config, start);
    EXPECT_FALSE(charge(budget, kResponseCreate));
    EXPECT_FALSE(budget.count_response_created());  // the one just asked for
    EXPECT_FALSE(charge(budget, kResponseCreate));
    EXPECT_FALSE(budget.count_response_created());
    EXPECT_FALSE(budget.count_response_created());  // the server's own: the third
    EXPECT_TRUE(budget.count_response_created());
}

TEST_F(SessionBudgetTest, ServerResponsesAndBrowserRequestsShareTheBudget) {
    config.responses_per_minute = 1000;
    config.response_burst = 1000;
    config.session_max_responses = 2;
    SessionBudget budget(config, start);
    EXPECT_FALSE(budget.count_response_created());
    EXPECT_FALSE(budget.count_response_created());
    const auto breach = charge(budget, kResponseCreate);
    ASSERT_TRUE(breach);
    EXPECT_EQ(breach->limit, "responses");
}

TEST_F(SessionBudgetTest, ServerResponsesAreNotARateToCloseOn) {
    // A person talking fast gets many responses in a minute; only the session total counts.
    config.responses_per_minute = 1;
    config.response_burst = 1;
    config.session_max_responses = 100;
    SessionBudget budget(config, start);
    for (int i = 0; i < 10; ++i) EXPECT_FALSE(budget.count_response_created()) << i;
    EXPECT_FALSE(charge(budget, kResponseCreate));  // the browser's own rate is untouched
}

TEST_F(SessionBudgetTest, ABreachChargesNothing) {
    config.session_max_audio_seconds = 1;
    SessionBudget budget(config, start);
    const json long_append = {{"type", "input_audio_buffer.append"}, {"audio", audio(1.5)}};
    EXPECT_TRUE(charge(budget, long_append));
    const json short_append = {{"type", "input_audio_buffer.append"}, {"audio", audio(0.9)}};
    EXPECT_FALSE(charge(budget, short_append));
}

TEST_F(SessionBudgetTest, DefaultsAllowHalfAnHourOfStreamedAudioMessages) {
    // The page sends ~10 input_audio_buffer.append a second; REALTIME_MAX_SESSION_MS is 30 min.
    EXPECT_GE(config.session_max_messages, 30u * 60u * 10u);
}

}  // namespace
}  // namespace calrt::server
