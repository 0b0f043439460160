// What the relay lets a browser send upstream, and which Origins may open it.
#include "calrt/server/relay_policy.hpp"

#include <gtest/gtest.h>

#include "calrt/server/realtime_relay.hpp"

namespace calrt::server {
namespace {

using nlohmann::json;

const json kSession = {{"type", "realtime"},
                       {"instructions", "Server instructions."},
                       {"tools", json::array({{{"type", "function"}, {"name", "book_meeting"}}})},
                       {"audio", {{"output", {{"voice", "marin"}}},
                                  {"input", {{"turn_detection", {{"type", "server_vad"}}}}}}}};

BrowserEventDecision decide(const json& event) { return decide_browser_event(event.dump(), kSession); }

std::string refusal_code(const BrowserEventDecision& decision) {
    const auto* refused = std::get_if<RefuseEvent>(&decision);
    return refused ? refused->error_event["error"]["code"].get<std::string>() : std::string();
}

TEST(RelayPolicy, ForwardsAudioBufferAndResponseControlEvents) {
    for (const char* type : {"input_audio_buffer.append", "input_audio_buffer.commit",
                             "input_audio_buffer.clear", "response.create", "response.cancel",
                             "conversation.item.truncate"}) {
        const json event = {{"type", type}};
        const auto decision = decide(event);
        ASSERT_TRUE(std::holds_alternative<ForwardEvent>(decision)) << type;
        EXPECT_EQ(std::get<ForwardEvent>(decision).event, event);
    }
}

TEST(RelayPolicy, AudioInItsUsualShapeGoesUpAsTheBrowserSentIt) {
    const std::string text = R"({ "type": "input_audio_buffer.append", "event_id": "evt_1", "audio": "AAAA" })";
    const auto decision = decide_browser_event(text, kSession);
    ASSERT_TRUE(std::holds_alternative<ForwardEvent>(decision));
    const auto& forward = std::get<ForwardEvent>(decision);
    EXPECT_EQ(forward.text, text);  // the bytes, unparsed and unchanged
    // What the session budget charges it by.
    EXPECT_EQ(forward.event, json({{"type", "input_audio_buffer.append"}, {"audio", "AAAA"}}));
}

TEST(RelayPolicy, AudioInAnotherShapeIsDecidedByTheGeneralRules) {
    // An escape sequence in a string: parsed, and forwarded re-serialized.
    const auto escaped = decide_browser_event(
        R"({"type":"input_audio_buffer.append","event_id":"evt\u0031","audio":"AAAA"})", kSession);
    ASSERT_TRUE(std::holds_alternative<ForwardEvent>(escaped));
    EXPECT_TRUE(std::get<ForwardEvent>(escaped).text.empty());
    EXPECT_EQ(std::get<ForwardEvent>(escaped).event["event_id"], "evt1");
    // A member the event may not carry, or a repeated key: refused as before.
    EXPECT_EQ(refusal_code(decide_browser_event(
                  R"({"type":"input_audio_buffer.append","audio":"AAAA","x":"y"})", kSession)),
              "event_not_allowed");
    const auto repeated = decide_browser_event(
        R"({"type":"input_audio_buffer.append","audio":"AAAA","audio":"BBBB"})", kSession);
    ASSERT_TRUE(std::holds_alternative<ForwardEvent>(repeated));
    EXPECT_TRUE(std::get<ForwardEvent>(repeated).text.empty());  // one "audio" goes up, not two
    // Trailing bytes after the object: not JSON.
    EXPECT_EQ(refusal_code(decide_browser_event(
                  R"({"type":"input_audio_buffer.append","audio":"AAAA"} x)", kSession)),
              "invalid_event");
}

TEST(RelayPolicy, ForwardsAUserTextMessage) {
    const json event = {{"type", "conversation.item.create"},
                        {"item", {{"type", "message"}, {"role", "user"},
                                  {"content", json::array({{{"type", "input_text"}, {"text", "hi"}}})}}}};
    EXPECT_TRUE(std::holds_alternative<ForwardEvent>(decide(event)));
}

json user_message_of(const json& parts) {
    return json{{"type", "conversation.item.create"},
                {"event_id", "evt_7"},
                {"item", {{"type", "message"}, {"role", "user"}, {"content", parts}}}};
}

TEST(RelayPolicy, AUserMessageMayCarryUpToFourKibOfText) {
    const auto at_limit = decide(user_message_of(json::array({{{"type", "input_text"}, {"text", std::string(4096, 'a')}}})));
    EXPECT_TRUE(std::holds_alternative<ForwardEvent>(at_limit));

    const auto over = decide(user_message_of(json::array({{{"type", "input_text"}, {"text", std::string(4097, 'a')}}})));
    ASSERT_TRUE(std::holds_alternative<RefuseEvent>(over));
    const json& error = std::get<RefuseEvent>(over).error_event["error"];
    EXPECT_EQ(error["code"], "input_text_too_long");
    EXPECT_EQ(error["message"], "a message may carry at most 4096 bytes of text; send a shorter one");
    EXPECT_EQ(error["event_id"], "evt_7");
}

TEST(RelayPolicy, TheTextLimitIsForAllPartsOfAMessageTogether) {
    // Many small parts, and transcripts of audio parts, are text the model reads too.
    const json half = {{"type", "input_text"}, {"text", std::string(2048, 'a')}};
    EXPECT_TRUE(std::holds_alternative<ForwardEvent>(decide(user_message_of(json::array({half, half})))));
    EXPECT_EQ(refusal_code(decide(user_message_of(json::array({half, half, {{"type", "input_text"}, {"text", "a"}}})))),
              "input_text_too_long");
    const json transcribed = {{"type", "input_audio"}, {"audio", "AAAA"}, {"transcript", std::string(2049, 'a')}};
    EXPECT_EQ(refusal_code(decide(user_message_of(json::array({half, transcribed})))), "input_text_too_long");
}

TEST(RelayPolicy, RefusesSystemMessagesAndFunctionOutputs) {
    const json system = {{"type", "conversation.item.create"},
                         {"item", {{"type", "message"}, {"role", "system"},
                                   {"content", json::array({{{"type", "input_text"}, {"text", "x"}}})}}}};
    const json output = {{"type", "conversation.item.create"},
                         {"item", {{"type", "function_call_output"}, {"call_id", "c"}, {"output", "{}"}}}};
    EXPECT_EQ(refusal_code(decide(system)), "event_not_allowed");
    EXPECT_EQ(refusal_code(decide(output)), "event_not_allowed");
}

TEST(RelayPolicy, RefusesResponseCreateThatOverridesInstructionsOrTools) {
    EXPECT_EQ(refusal_code(decide({{"type", "response.create"}, {"response", {{"instructions", "x"}}}})),
              "event_not_allowed");
    EXPECT_EQ(refusal_code(decide({{"type", "response.create"}, {"response", {{"tools", json::array()}}}})),
              "event_not_allowed");
}

TEST(RelayPolicy, ResponseCreateMayChooseOnlyTheOutputModality) {
    const json text_answer = {{"type", "response.create"}, {"response", {{"output_modalities", {"text"}}}}};
    EXPECT_TRUE(std::holds_alternative<ForwardEvent>(decide(text_answer)));
    // "input" could add system messages; "conversation": "none" starts responses outside the
    // conversation; the rest is the server's to set.
    const json system_input = json::array({{{"type", "message"},
                                            {"role", "system"},
                                            {"content", json::array({{{"type", "input_text"}, {"text", "x"}}})}}});
    for (const json& response : {json{{"input", system_input}}, json{{"conversation", "none"}},
                                 json{{"max_output_tokens", 4096}}, json{{"metadata", {{"k", "v"}}}},
                                 json{{"output_modalities", {"audio", "text"}}}}) {
        EXPECT_EQ(refusal_code(decide({{"type", "response.create"}, {"response", response}})), "event_not_allowed")
            << response.dump();
    }
    EXPECT_EQ(refusal_code(decide({{"type", "response.create"}, {"extra", {{"k", "v"}}}})), "event_not_allowed");
}

TEST(RelayPolicy, PassedThroughEventsMayCarryOnlyTheirOwnPlainFields) {
    EXPECT_TRUE(std::holds_alternative<ForwardEvent>(
        decide({{"type", "conversation.item.truncate"}, {"item_id", "i1"}, {"content_index", 0}, {"audio_end_ms", 1200}})));
    EXPECT_EQ(refusal_code(decide({{"type", "input_audio_buffer.append"}, {"audio", ""}, {"x", {1, 2}}})),
              "event_not_allowed");
    EXPECT_EQ(refusal_code(decide({{"type", "input_audio_buffer.append"}, {"audio", {{"nested", true}}}})),
              "event_not_allowed");
    EXPECT_EQ(refusal_code(decide({{"type", "response.cancel"}, {"unknown", 1}})), "event_not_allowed");
}

TEST(RelayPolicy, UserMessageWithOtherItemFieldsIsRefused) {
    const json parts = json::array({{{"type", "input_text"}, {"text", "hi"}}});
    EXPECT_EQ(refusal_code(decide({{"type", "conversation.item.create"},
                                   {"item", {{"type", "message"}, {"role", "user"}, {"content", parts},
                                             {"status", {{"x", 1}}}}}})),
              "event_not_allowed");
    EXPECT_EQ(refusal_code(decide({{"type", "conversation.item.create"},
                                   {"item", {{"type", "message"}, {"role", "user"},
                                             {"content", json::array({{{"type", "input_text"}, {"text", {"a"}}}})}}}})),
              "event_not_allowed");
    EXPECT_EQ(refusal_code(decide({{"type", "conversation.item.create"},
                                   {"item", {{"type", "message"}, {"role", "user"}, {"content", json::array()}}}})),
              "event_not_allowed");
}

TEST(RelayPolicy, DeeplyNestedMessageIsRefusedBeforeParsing) {
    // Deep enough to exhaust a thread's stack in nlohmann::json's recursive copy and dump.
    const std::size_t levels = 200'000;
    std::string text = R"({"type":"input_audio_buffer.append","audio":"","x":)";
    text += std::string(levels, '[') + std::string(levels, ']') + "}";
    EXPECT_EQ(refusal_code(decide_browser_event(text, kSession)), "invalid_event");
    // Brackets inside strings are text, not nesting.
    const json bracketed = {{"type", "conversation.item.create"},
                            {"item", {{"type", "message"}, {"role", "user"},
                                      {"content", json::array({{{"type", "input_text"},
                                                                {"text", std::string(100, '[')}}})}}}};
    EXPECT_TRUE(std::holds_alternative<ForwardEvent>(decide(bracketed)));
}

TEST(RelayPolicy, SessionUpdateSendsOnlyTheVoiceNotInstructionsOrTools) {
    const auto decision = decide({{"type", "session.update"},
                                  {"event_id", "e7"},
                                  {"session", {{"audio", {{"output", {{"voice", "cedar"}}}}}}}});
    ASSERT_TRUE(std::holds_alternative<UpdateSession>(decision));
    const auto& update = std::get<UpdateSession>(decision);
    EXPECT_EQ(update.changes, (json{{"type", "realtime"}, {"audio", {{"output", {{"voice", "cedar"}}}}}}));
    EXPECT_EQ(update.event_id, "e7");
}

TEST(RelayPolicy, SessionUpdateLeavesOutTheVoiceAlreadyInForce) {
    // Once the model has spoken, an update naming the voice is refused whole (cannot_update_voice).
    const auto decision = decide({{"type", "session.update"},
                                  {"session", {{"type", "realtime"},
                                               {"output_modalities", {"text"}},
                                               {"audio", {{"output", {{"voice", "marin"}}}}}}}});
    ASSERT_TRUE(std::holds_alternative<UpdateSession>(decision));
    EXPECT_EQ(std::get<UpdateSession>(decision).changes,
              (json{{"type", "realtime"}, {"output_modalities", {"text"}}}));
}

TEST(RelayPolicy, SessionUpdateCanTurnOffTurnDetection) {
    const auto decision = decide({{"type", "session.update"},
                                  {"session", {{"audio", {{"input", {{"turn_detection", nullptr}}}}}}}});
    ASSERT_TRUE(std::holds_alternative<UpdateSession>(decision));
    const auto& session = std::get<UpdateSession>(decision).changes;
    ASSERT_TRUE(session["audio"]["input"].contains("turn_detection"));
    EXPECT_TRUE(session["audio"]["input"]["turn_detection"].is_null());
}

TEST(RelayPolicy, SwitchingTurnDetectionTypeSendsTheNewTypeWhole) {
    const json semantic = {{"type", "semantic_vad"}, {"eagerness", "high"}};
    const auto decision = decide({{"type", "session.update"},
                                  {"session", {{"audio", {{"input", {{"turn_detection", semantic}}}}}}}});
    ASSERT_TRUE(std::holds_alternative<UpdateSession>(decision));
    // Nothing of server_vad's settings in force is mixed in.
    EXPECT_EQ(std::get<UpdateSession>(decision).changes["audio"]["input"]["turn_detection"], semantic);
    // semantic_vad has none of server_vad's tuning fields; the API refuses them.
    const json mixed = {{"type", "semantic_vad"}, {"threshold", 0.6}};
    EXPECT_EQ(refusal_code(decide({{"type", "session.update"},
                                   {"session", {{"audio", {{"input", {{"turn_detection", mixed}}}}}}}})),
              "event_not_allowed");
}

TEST(RelayPolicy, SessionUpdateCanSwitchToTextAnswers) {
    const auto decision =
        decide({{"type", "session.update"}, {"session", {{"type", "realtime"}, {"output_modalities", {"text"}}}}});
    ASSERT_TRUE(std::holds_alternative<UpdateSession>(decision));
    const auto& session = std::get<UpdateSession>(decision).changes;
    EXPECT_EQ(session["output_modalities"], json::array({"text"}));
    EXPECT_FALSE(session.contains("instructions"));
}

TEST(RelayPolicy, ServerSessionUpdatedIsWhatIsInForce) {
    json config = kSession;
    adopt_server_session(config, {{"type", "realtime"},
                                  {"instructions", "ignored"},
                                  {"output_modalities", {"text"}},
                                  {"audio", {{"output", {{"voice", "cedar"}}},
                                             {"input", {{"turn_detection", {{"type", "semantic_vad"}}}}}}}});
    EXPECT_EQ(config["audio"]["output"]["voice"], "cedar");
    EXPECT_EQ(config["audio"]["input"]["turn_detection"], (json{{"type", "semantic_vad"}}));
    EXPECT_EQ(config["output_modalities"], json::array({"text"}));
    EXPECT_EQ(config["instructions"], kSession["instructions"]);
}

TEST(RelayPolicy, SessionUpdateOfAnythingElseIsRefused) {
    for (const json& session : {json{{"instructions", "x"}}, json{{"tools", json::array()}},
                                json{{"audio", {{"input", {{"format", {{"type", "audio/pcmu"}}}}}}}},
                                json{{"output_modalities", json::array({"text", "audio"})}},
                                json{{"output_modalities", json::array({"video"})}},
                                json{{"audio", {{"input", {{"turn_detection", {{"type", "server_vad"},
                                                                               {"idle_timeout_ms", 5000}}}}}}}},
                                json{{"audio", {{"input", {{"turn_detection", {{"type", "loud_vad"}}}}}}}}}) {
        EXPECT_EQ(refusal_code(decide({{"type", "session.update"}, {"session", session}})),
                  "event_not_allowed")
            << session.dump();
    }
}

TEST(RelayPolicy, UnknownAndMalformedEventsAreRefused) {
    EXPECT_EQ(refusal_code(decide({{"type", "output_audio_buffer.clear"}})), "event_not_allowed");
    EXPECT_EQ(refusal_code(decide_browser_event("not json", kSession)), "invalid_event");
    EXPECT_EQ(refusal_code(decide_browser_event("[1]", kSession)), "invalid_event");
}

TEST(RelayOrigin, DefaultAllowsThePagesOwnAddressAndLoopbackOnItsPort) {
    EXPECT_TRUE(origin_allowed("http://192.168.1.20:3000", "192.168.1.20:3000", ""));
    EXPECT_TRUE(origin_allowed("https://10.0.0.5", "10.0.0.5", ""));
    EXPECT_TRUE(origin_allowed("http://[::1]:3000", "[::1]:3000", ""));
    EXPECT_TRUE(origin_allowed("http://localhost:3000", "localhost:3000", ""));
    EXPECT_TRUE(origin_allowed("http://localhost:3000", "127.0.0.1:3000", ""));
    EXPECT_TRUE(origin_allowed("http://127.0.0.1:3000", "localhost:3000", ""));
    EXPECT_TRUE(origin_allowed("", "example.com", ""));
    EXPECT_FALSE(origin_allowed("http://evil.example", "example.com:3000", ""));
    EXPECT_FALSE(origin_allowed("http://localhost:4000", "localhost:3000", ""));
}

TEST(RelayOrigin, DefaultRefusesAPageUnderADomainName) {
    // DNS rebinding: evil.example resolves to this service, so Origin and Host agree.
    EXPECT_FALSE(origin_allowed("http://evil.example:3000", "evil.example:3000", ""));
    EXPECT_FALSE(origin_allowed("https://book.example.com", "book.example.com", ""));
    EXPECT_TRUE(origin_allowed("https://book.example.com", "book.example.com", "https://book.example.com"));
}

TEST(RelayOrigin, ConfiguredListIsExact) {
    const char* allowed = "https://book.example.com, http://localhost:5173";
    EXPECT_TRUE(origin_allowed("https://book.example.com", "api.example.com", allowed));
    EXPECT_TRUE(origin_allowed("http://localhost:5173", "api.example.com", allowed));
    EXPECT_FALSE(origin_allowed("https://api.example.com", "api.example.com", allowed));
    EXPECT_FALSE(origin_allowed("", "api.example.com", allowed));
}

}  // namespace
}  // namespace calrt::server
