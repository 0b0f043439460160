// A browser's session.update through the relay, against a fake Realtime server that refuses what
// the real one refuses: once the model has answered with audio, an update naming the voice is
// refused whole (cannot_update_voice). A refused update must not become the base of the page's next
// update, and the voice in force is never named again.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/relay_test_fixture.hpp"
#include "support/running_server.hpp"

namespace calrt::server {
namespace {

using nlohmann::json;

class RelaySessionUpdateTest : public test::RelayTestFixture {
  protected:
    // Speech on, and one spoken answer: from now on the voice is fixed.
    net::WebSocket open_after_spoken_answer() {
        start();
        auto browser = open();
        send(browser, json{{"type", "session.update"},
                           {"session", {{"type", "realtime"}, {"output_modalities", {"audio"}}}}});
        EXPECT_TRUE(read_until(browser, of_type("session.updated")));
        say(browser, "hello");
        EXPECT_TRUE(read_until(browser, of_type("response.output_audio.delta")));
        EXPECT_TRUE(read_until(browser, of_type("response.done")));
        return browser;
    }

    bool refused_with(net::WebSocket& browser, const std::string& code) {
        return read_until(browser, [&](const json& event) {
            return event.value("type", "") == "error" && event["error"].value("code", "") == code;
        });
    }

    bool updated_to_text(net::WebSocket& browser) {
        return read_until(browser, [](const json& event) {
            return event.value("type", "") == "session.updated" &&
                   event["session"]["output_modalities"] == json::array({"text"});
        });
    }
};

TEST_F(RelaySessionUpdateTest, RefusedVoiceChangeDoesNotSpoilTheNextUpdate) {
    auto browser = open_after_spoken_answer();
    send(browser, json{{"type", "session.update"},
                       {"session", {{"type", "realtime"}, {"audio", {{"output", {{"voice", "cedar"}}}}}}}});
    ASSERT_TRUE(refused_with(browser, "cannot_update_voice"));

    // The page turns its microphone off: answers in text from now on.
    send(browser, json{{"type", "session.update"},
                       {"session", {{"type", "realtime"}, {"output_modalities", {"text"}}}}});
    ASSERT_TRUE(updated_to_text(browser));
    const auto updates = fake_realtime.session_updates();  // the ones the fake accepted
    ASSERT_FALSE(updates.empty());
    EXPECT_EQ(updates.back(), (json{{"type", "realtime"}, {"output_modalities", {"text"}}}));
}

TEST_F(RelaySessionUpdateTest, TheVoiceInForceIsNotNamedAgain) {
    auto browser = open_after_spoken_answer();
    // A page that sends its whole settings each time, the unchanged voice among them.
    send(browser, json{{"type", "session.update"},
                       {"session", {{"type", "realtime"},
                                    {"output_modalities", {"text"}},
                                    {"audio", {{"output", {{"voice", "marin"}}}}}}}});
    ASSERT_TRUE(updated_to_text(browser));
    for (const auto& error : fake_realtime.errors_sent()) {
        EXPECT_NE(error["error"].value("code", ""), "cannot_update_voice") << error.dump();
    }
}

TEST_F(RelaySessionUpdateTest, SwitchingToSemanticVadLeavesNoServerVadSettingBehind) {
    start();
    auto browser = open();
    send(browser, json{{"type", "session.update"},
                       {"session", {{"type", "realtime"},
                                    {"audio", {{"input", {{"turn_detection", {{"type", "server_vad"},
                                                                              {"threshold", 0.7}}}}}}}}}});
    ASSERT_TRUE(read_until(browser, of_type("session.updated")));
    const json semantic = {{"type", "semantic_vad"}, {"eagerness", "high"}};
    send(browser, json{{"type", "session.update"},
                       {"session", {{"type", "realtime"}, {"audio", {{"input", {{"turn_detection", semantic}}}}}}}});
    json in_force;
    ASSERT_TRUE(read_until(browser, [&](const json& event) {
        if (event.value("type", "") != "session.updated") return false;
        in_force = event["session"]["audio"]["input"]["turn_detection"];
        return in_force.value("type", "") == "semantic_vad";
    }));
    EXPECT_FALSE(in_force.contains("threshold")) << in_force.dump();
    EXPECT_EQ(in_force["eagerness"], "high");
    EXPECT_TRUE(fake_realtime.errors_sent().empty());
}

}  // namespace
}  // namespace calrt::server
