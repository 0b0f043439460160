// The Realtime session and its function-call loop over a real WebSocket against the fake Realtime
// server, with a registry of test tools.
#include "calrt/realtime/realtime_session.hpp"

#include <gtest/gtest.h>

#include <thread>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "calrt/realtime/client_events.hpp"
#include "support/io_threads.hpp"
#include "support/recording_observer.hpp"
#include "support/running_server.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"
#include "testing/fake_realtime/speech_stream.hpp"

namespace calrt::realtime {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using calrt::testing::FakeToolCall;
using calrt::testing::FakeTurn;

const json kOrderSchema = {{"type", "object"},
                           {"properties", {{"order_id", {{"type", "string"}}}}},
                           {"required", json::array({"order_id"})}};

boost::asio::awaitable<void> pause(std::chrono::milliseconds how_long) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, how_long);
    co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

// True when `expected` appears in `events` in this order (other events in between).
bool in_order(const std::vector<std::string>& events, const std::vector<std::string>& expected) {
    auto next = expected.begin();
    for (const auto& event : events) {
        if (next != expected.end() && event == *next) ++next;
    }
    return next == expected.end();
}

class RealtimeSessionTest : public ::testing::Test {
  protected:
    RealtimeSessionTest() {
        fake.start();
        registry.add({"lookup_order", "Looks up an order.", kOrderSchema},
                     [this](const json& arguments) -> boost::asio::awaitable<json> {
                         ++lookups;
                         co_return json{{"order_id", arguments["order_id"]},
                                        {"status", "shipped"},
                                        {"message", "It has shipped."}};
                     });
    }
    ~RealtimeSessionTest() override { io.stop(); }

    RealtimeSessionOptions options() const {
        RealtimeSessionOptions o;
        o.url = fake.url();
        o.model = "gpt-realtime";
        o.api_key = Secret("test-openai-key");
        o.instructions = "You help with orders.";
        o.output_modalities = {"text"};
        o.tool_timeout = 3s;
        return o;
    }

    std::shared_ptr<RealtimeSession> open(RealtimeSessionOptions o) {
        auto session = io.run(
            RealtimeSession::connect(io.io.get_executor(), registry, std::move(o), observer));
        if (!session) throw std::runtime_error(session.error().message);
        ended = io.spawn((*session)->run());
        return *session;
    }

    std::size_t response_creates() const {
        const auto types = fake.client_event_types();
        return static_cast<std::size_t>(std::count(types.begin(), types.end(), "response.create"));
    }

    test::IoThreads io;
    calrt::testing::FakeRealtime fake{io.io};
    MetricsRegistry metrics;
    tools::ToolRegistry registry{metrics};
    std::shared_ptr<test::RecordingObserver> observer = std::make_shared<test::RecordingObserver>();
    std::future<Error> ended;
    std::atomic<int> lookups{0};
};

TEST_F(RealtimeSessionTest, SendsSessionUpdateFirstWithInstructionsAndTools) {
    auto session = open(options());
    ASSERT_TRUE(test::wait_until([&] { return fake.session_updates().size() == 1; }));
    EXPECT_EQ(fake.client_event_types().front(), "session.update");
    const json update = fake.session_updates().front();
    EXPECT_EQ(update["type"], "realtime");
    EXPECT_EQ(update["instructions"], "You help with orders.");
    EXPECT_EQ(update["output_modalities"], json::array({"text"}));
    EXPECT_EQ(update["tool_choice"], "auto");
    ASSERT_EQ(update["tools"].size(), 1u);
    EXPECT_EQ(update["tools"][0]["name"], "lookup_order");
    EXPECT_EQ(update["tools"][0]["parameters"], kOrderSchema);
    EXPECT_EQ(fake.last_model(), "gpt-realtime");
    EXPECT_TRUE(test::wait_until([&] {
        return in_order(observer->event_types(), {"session.created", "session.updated"});
    }));
}

TEST_F(RealtimeSessionTest, RunsTheToolAndAnswersWithItsOutput) {
    fake.on_user_text(
        "order", FakeTurn::calling({FakeToolCall{"lookup_order", {{"order_id", "A1"}}}},
                                   [](const std::vector<json>& outputs) {
                                       return "Order " + outputs.at(0).value("order_id", "?") +
                                              " has " + outputs.at(0).value("status", "?") + ".";
                                   }));
    auto session = open(options());
    session->send_user_text("Where is my order A1?");

    ASSERT_TRUE(test::wait_until([&] { return observer->answers_done() == 1; }));
    EXPECT_EQ(observer->assistant_text(), "Order A1 has shipped.");
    const auto outputs = fake.function_call_outputs();
    ASSERT_EQ(outputs.size(), 1u);
    EXPECT_EQ(json::parse(outputs[0]["output"].get<std::string>()),
              (json{{"order_id", "A1"}, {"status", "shipped"}, {"message", "It has shipped."}}));
    EXPECT_EQ(observer->tools_started(), std::vector<std::string>{"lookup_order"});
    EXPECT_EQ(fake.user_texts(), std::vector<std::string>{"Where is my order A1?"});
}

TEST_F(RealtimeSessionTest, RunsACallAnnouncedThreeTimesOnceAndContinuesOnce) {
    fake.on_user_text("order",
                      FakeTurn::calling({FakeToolCall{"lookup_order", {{"order_id", "A1"}}}}));
    auto session = open(options());
    session->send_user_text("order A1?");
    ASSERT_TRUE(test::wait_until([&] { return observer->answers_done() == 1; }));
    // arguments.done, output_item.done and response.done all announced the call.
    EXPECT_TRUE(in_order(observer->event_types(), {"response.function_call_arguments.done",
                                                   "response.output_item.done", "response.done"}));
    EXPECT_EQ(lookups, 1);
    EXPECT_EQ(fake.function_call_outputs().size(), 1u);
    EXPECT_EQ(response_creates(), 2u);  // the user's, and one after the tool
    // The second response.create came after the output, not before.
    EXPECT_EQ(fake.outputs_before_response_create(), (std::vector<std::size_t>{0, 1}));
}

TEST_F(RealtimeSessionTest, ObserverSeesEveryServerEventInOrder) {
    fake.on_user_text("order",
                      FakeTurn::calling({FakeToolCall{"lookup_order", {{"order_id", "A1"}}}}));
    auto session = open(options());
    session->send_user_text("order A1?");
    const std::vector<std::string> expected = {"session.created",
                                               "session.updated",
                                               "response.created",
                                               "response.output_item.added",
                                               "response.function_call_arguments.delta",
                                               "response.function_call_arguments.done",
                                               "response.output_item.done",
                                               "response.done",
                                               "response.created",
                                               "response.output_text.delta",
                                               "response.output_text.done",
                                               "response.done"};
    EXPECT_TRUE(test::wait_until([&] { return in_order(observer->event_types(), expected); }));
    ASSERT_EQ(observer->tools_finished().size(), 1u);
    EXPECT_EQ(observer->tools_finished()[0].second["status"], "shipped");
}

TEST_F(RealtimeSessionTest, RunsTheCallsOfOneResponseConcurrently) {
    std::atomic<int> started{0};
    auto waits_for_the_other = [&started](const json&) -> boost::asio::awaitable<json> {
        ++started;
        // Finishes only once both calls are running: sequential calls would wait out the second.
        for (int i = 0; i < 1000 && started < 2; ++i) co_await pause(1ms);
        co_return json{{"both_running", started == 2}};
    };
    registry.add({"first", "One.", {{"type", "object"}}}, waits_for_the_other);
    registry.add({"second", "Two.", {{"type", "object"}}}, waits_for_the_other);
    fake.on_user_text("both", FakeTurn::calling({FakeToolCall{"first"}, FakeToolCall{"second"}}));
    auto session = open(options());
    session->send_user_text("do both");

    ASSERT_TRUE(test::wait_until([&] { return observer->answers_done() == 1; }));
    const auto outputs = fake.function_call_outputs();
    ASSERT_EQ(outputs.size(), 2u);
    for (const auto& output : outputs) {
        EXPECT_EQ(json::parse(output["output"].get<std::string>()), (json{{"both_running", true}}));
    }
    EXPECT_EQ(response_creates(), 2u);
    EXPECT_EQ(fake.outputs_before_response_create(), (std::vector<std::size_t>{0, 2}));
}

TEST_F(RealtimeSessionTest, ToolTimeoutSendsAnErrorOutputInsteadOfHanging) {
    registry.add({"slow", "Never answers in time.", {{"type", "object"}}},
                 [](const json&) -> boost::asio::awaitable<json> {
                     co_await pause(10s);
                     co_return json::object();
                 });
    fake.on_user_text(
        "slow", FakeTurn::calling({FakeToolCall{"slow"}}, [](const std::vector<json>& outputs) {
            return "error: " + outputs.at(0)["error"].value("code", "?");
        }));
    auto o = options();
    o.tool_timeout = 50ms;
    auto session = open(o);
    session->send_user_text("slow please");

    ASSERT_TRUE(test::wait_until([&] { return observer->answers_done() == 1; }));
    EXPECT_EQ(observer->assistant_text(), "error: tool_timeout");
}

TEST_F(RealtimeSessionTest, EventsQueuedForIdleWaitForTheToolAndTheAnswerToIt) {
    std::atomic<bool> release{false};
    std::atomic<int> holding{0};
    registry.add({"hold", "Answers when the test says so.", {{"type", "object"}}},
                 [&](const json&) -> boost::asio::awaitable<json> {
                     ++holding;
                     while (!release) co_await pause(5ms);
                     co_return json{{"message", "released"}};
                 });
    fake.on_user_text("hold", FakeTurn::calling({FakeToolCall{"hold"}}));
    auto session = open(options());
    session->send_user_text("hold please");
    ASSERT_TRUE(test::wait_until([&] { return holding == 1; }));

    json content = json::array();
    content.push_back(json{{"type", "input_text"}, {"text", "A note from the application."}});
    std::vector<json> note;
    note.push_back(json{{"type", "conversation.item.create"},
                        {"item", json{{"type", "message"}, {"role", "system"}, {"content", content}}}});
    note.push_back(json{{"type", "response.create"}});
    session->send_when_idle(std::move(note));
    std::this_thread::sleep_for(50ms);
    EXPECT_TRUE(fake.system_texts().empty());  // held while the tool runs

    release = true;
    ASSERT_TRUE(test::wait_until([&] { return observer->answers_done() == 2; }));
    EXPECT_EQ(fake.system_texts(), std::vector<std::string>{"A note from the application."});
    // The tool's output and the answer to it came first; then the note and its own response.
    const auto types = fake.client_event_types();
    EXPECT_TRUE(in_order(types, {"session.update", "conversation.item.create", "response.create",
                                 "conversation.item.create", "response.create", "conversation.item.create",
                                 "response.create"}))
        << ::testing::PrintToString(types);
    EXPECT_EQ(response_creates(), 3u);
    EXPECT_EQ(fake.function_call_outputs().size(), 1u);
}

TEST_F(RealtimeSessionTest, EventsQueuedForIdleGoAtOnceWhenNothingRuns) {
    auto session = open(options());
    ASSERT_TRUE(test::wait_until([&] { return fake.session_updates().size() == 1; }));
    json content = json::array();
    content.push_back(json{{"type", "input_text"}, {"text", "Now."}});
    std::vector<json> note;
    note.push_back(json{{"type", "conversation.item.create"},
                        {"item", json{{"type", "message"}, {"role", "system"}, {"content", content}}}});
    session->send_when_idle(std::move(note));
    EXPECT_TRUE(test::wait_until([&] { return fake.system_texts().size() == 1; }));
}

TEST_F(RealtimeSessionTest, ArgumentsBreakingTheSchemaGoBackAsAnErrorOutput) {
    fake.on_user_text("order", FakeTurn::calling({FakeToolCall{"lookup_order", {{"id", "A1"}}}},
                                                 [](const std::vector<json>& outputs) {
                                                     return outputs.at(0)["error"].value("message",
                                                                                         "?");
                                                 }));
    auto session = open(options());
    session->send_user_text("order?");
    ASSERT_TRUE(test::wait_until([&] { return observer->answers_done() == 1; }));
    EXPECT_EQ(observer->assistant_text(), "order_id: is required");
    EXPECT_EQ(lookups, 0);
}

TEST_F(RealtimeSessionTest, ErrorEventsReachTheObserverAndTheSessionGoesOn) {
    fake.on_user_text("break", FakeTurn::failing({{"type", "invalid_request_error"},
                                                  {"code", "scripted_failure"},
                                                  {"message", "It broke."}}));
    fake.on_user_text("", FakeTurn::saying("still here"));
    auto session = open(options());

    session->send_user_text("break it");
    ASSERT_TRUE(test::wait_until([&] { return observer->errors().size() == 1; }));
    EXPECT_EQ(observer->errors()[0].code, "scripted_failure");
    EXPECT_EQ(observer->errors()[0].message, "It broke.");

    session->send_user_text("hello?");
    ASSERT_TRUE(test::wait_until([&] { return observer->answers_done() == 1; }));
    EXPECT_EQ(observer->assistant_text(), "still here");
    EXPECT_EQ(ended.wait_for(0ms), std::future_status::timeout);
}

TEST_F(RealtimeSessionTest, UpstreamCloseEndsTheSessionWithItsReason) {
    auto session = open(options());
    // session.created comes from the fake's connection loop, which starts once the connection is
    // registered for close_connections() (open_connections() counts it from the upgrade request:
    // under ASan the close could otherwise find no connection to close).
    ASSERT_TRUE(test::wait_until([&] { return in_order(observer->event_types(), {"session.created"}); }));
    fake.close_connections(1011, "server restarting");
    ASSERT_EQ(ended.wait_for(5s), std::future_status::ready);
    const Error reason = ended.get();
    EXPECT_EQ(reason.code, "upstream_closed");
    EXPECT_NE(reason.message.find("1011"), std::string::npos) << reason.message;
    EXPECT_NE(reason.message.find("server restarting"), std::string::npos);
    ASSERT_TRUE(observer->ended());
    EXPECT_EQ(observer->ended()->code, "upstream_closed");
}

TEST_F(RealtimeSessionTest, CloseEndsTheSessionAndTheUpstreamConnection) {
    auto session = open(options());
    io.run(session->close("the user left"));
    ASSERT_EQ(ended.wait_for(5s), std::future_status::ready);
    const Error reason = ended.get();
    EXPECT_EQ(reason.code, "closed");
    EXPECT_NE(reason.message.find("the user left"), std::string::npos);
    EXPECT_TRUE(test::wait_until([&] { return fake.open_connections() == 0; }));
}

TEST_F(RealtimeSessionTest, WrongKeyFailsToConnectWithoutEchoingIt) {
    auto o = options();
    o.api_key = Secret("sk-not-the-key");
    auto session = io.run(RealtimeSession::connect(io.io.get_executor(), registry, o, observer));
    ASSERT_FALSE(session);
    EXPECT_EQ(session.error().code, "handshake_rejected");
    EXPECT_EQ(session.error().message.find("sk-not-the-key"), std::string::npos);
}

TEST_F(RealtimeSessionTest, FakeRefusesAnOutputForACallItNeverMade) {
    auto session = open(options());
    session->send(function_call_output("call_made_up", json::object()));
    ASSERT_TRUE(test::wait_until([&] { return observer->errors().size() == 1; }));
    EXPECT_EQ(observer->errors()[0].code, "invalid_value");
}

class SandboxSessionTest : public RealtimeSessionTest {
  protected:
    SandboxSessionTest() {
        sandbox.start();
        registry.add({"get_available_meeting_types", "Lists meeting types.", {{"type", "object"}}},
                     [](const json&) -> boost::asio::awaitable<json> {
                         co_return json{{"message", "There is a 30 minute intro call."}};
                     });
    }

    ~SandboxSessionTest() override { io.stop(); }  // before `sandbox` goes

    RealtimeSessionOptions sandbox_options() const {
        auto o = options();
        o.url = sandbox.url();
        o.api_key = Secret("sandbox");
        return o;
    }

    calrt::testing::FakeRealtime sandbox{io.io, {"127.0.0.1", 0, "sandbox", true, 3}};
};

TEST_F(SandboxSessionTest, MapsAMeetingTypesQuestionToTheToolAndSaysItIsASandbox) {
    auto session = open(sandbox_options());
    session->send_user_text("What meeting types do you offer?");
    ASSERT_TRUE(test::wait_until([&] { return observer->answers_done() == 1; }));
    EXPECT_EQ(observer->tools_started(), std::vector<std::string>{"get_available_meeting_types"});
    EXPECT_NE(observer->assistant_text().find("Sandbox"), std::string::npos)
        << observer->assistant_text();
    EXPECT_NE(observer->assistant_text().find("30 minute intro call"), std::string::npos);
}

TEST_F(SandboxSessionTest, AnswersAudioItCannotHearInSpeechTranscript) {
    auto o = sandbox_options();
    o.output_modalities = {"audio"};
    auto session = open(o);
    // Speech, then the silence that ends the turn (the fake detects speech as the API does).
    session->send(json{{"type", "input_audio_buffer.append"},
                       {"audio", calrt::testing::speech_pcm16_base64(300ms)}});
    session->send(json{{"type", "input_audio_buffer.append"},
                       {"audio", calrt::testing::silent_pcm16_base64(600ms)}});
    ASSERT_TRUE(test::wait_until([&] { return observer->answers_done() == 1; }));
    EXPECT_NE(observer->assistant_text().find("cannot hear audio"), std::string::npos);
    EXPECT_TRUE(in_order(observer->event_types(),
                         {"response.output_audio_transcript.delta", "response.output_audio.delta",
                          "response.output_audio_transcript.done"}));
    EXPECT_TRUE(observer->errors().empty());
}

}  // namespace
}  // namespace calrt::realtime
