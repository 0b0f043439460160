// A phone call end to end over the real interfaces: the fake OpenAI signs realtime.call.incoming
// and sends it to POST /api/openai/webhook; the service accepts the call through the fake's call
// control with the phone session, attaches the sideband by call id and runs the tool loop there
// while the fake plays the caller (caller_says); the booking goes to the fake Calendly, whose
// signed invitee.created webhook is confirmed in the call; hand-off, hang-up and the per-call
// limits go through call control as they would at OpenAI.

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

#include "calrt/net/http_client.hpp"
#include "calrt/phone/phone_call.hpp"
#include "calrt/phone/webhook_route.hpp"
#include "support/relay_test_fixture.hpp"
#include "testing/fake_realtime/incoming_call_webhook.hpp"

namespace calrt {
namespace {

using nlohmann::json;
using testing::FakeCallState;
using testing::FakeToolCall;
using testing::FakeTurn;
using namespace std::chrono_literals;

const std::string kSecret = "whsec_c2VjcmV0LWtleS1ieXRlcy1mb3ItdGhlLWZha2UtdGVzdA==";
constexpr const char* kCaller = "+14155550123";

// The store's answer when the day's minutes are gone.
boost::asio::awaitable<Result<bool>> used_up() { co_return false; }

class PhoneCallTest : public test::RelayTestFixture {
  protected:
    ~PhoneCallTest() override {
        // The calls' coroutines refer to the members: hang them up and wait for them to end.
        if (call_context) {
            call_context->active.end_all();
            test::wait_until([&] { return call_context->active.size() == 0 && lines.in_use() == 0; });
        }
    }

    void start_phone() {
        start();
        calls = phone::make_openai_phone_calls(
            http_client, {.api_base_url = fake_realtime.rest_url(), .api_key = Secret(test::kRelayOpenAiKey)});
        // Parenthesised aggregate initialisation (C++20): the context holds a mutex and cannot move.
        call_context = std::make_unique<phone::PhoneCallContext>(*relay_context, *calls, lines, settings);
        route = std::make_unique<phone::OpenAiWebhookRouteContext>(phone::OpenAiWebhookRouteContext{
            Secret(kSecret), *calls, claims, lines, json::object(), clock, metrics, io.io.get_executor()});
        route->call_context = call_context.get();
        phone::add_openai_webhook_route(router, *route);
    }

    std::string webhook_url() const {
        return "http://127.0.0.1:" + std::to_string(relay_port()) + "/api/openai/webhook";
    }

    // A call rings and the service answers it: the call id once its sideband is attached.
    std::string place_call() {
        const auto delivery =
            testing::incoming_call_delivery(fake_realtime.calls(), testing::FakeIncomingCall{}, kSecret);
        const auto answer = testing::send_webhook(delivery, webhook_url());
        EXPECT_TRUE(answer && answer->status == 200u);
        EXPECT_TRUE(reaches(delivery.call_id, FakeCallState::accepted));
        EXPECT_TRUE(test::wait_until([&] { return fake_realtime.sideband_open(delivery.call_id); }));
        return delivery.call_id;
    }

    bool reaches(const std::string& call_id, FakeCallState state) {
        return test::wait_until([&] { return fake_realtime.calls().state(call_id) == state; });
    }

    // Waits for an answer on the call containing `words`.
    bool heard(const std::string& call_id, const std::string& words) {
        return test::wait_until([&] {
            for (const auto& said : fake_realtime.assistant_said(call_id)) {
                if (said.find(words) != std::string::npos) return true;
            }
            return false;
        });
    }

    json first_slot_booking(json extra = json::object()) {
        const std::string type_uri = fake_calendly.event_type_uri("30min");
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock.now());
        auto slots = io.run(calendly_client->available_times(type_uri, {now + 1h, now + 24h * 7}));
        EXPECT_TRUE(slots && !slots->empty());
        json arguments = {{"event_type", "30min"},
                          {"start_time", format_rfc3339(slots->front().start_time)},
                          {"name", "Ada Lovelace"},
                          {"email", "ada@example.com"},
                          {"timezone", "Europe/London"}};
        arguments.update(extra);
        return arguments;
    }

    // The call is counted once its coroutine has finished, a moment after the fake saw its end.
    bool counted(const std::string& outcome, const std::string& reason) {
        return test::wait_until([&] { return calls_counted(outcome, reason) == 1; });
    }

    std::uint64_t calls_counted(std::string outcome, std::string reason) {
        return metrics.counter("calrt_phone_calls_total", "", {{"outcome", outcome}, {"reason", reason}}).value();
    }

    net::HttpClient http_client{io.io.get_executor()};
    std::unique_ptr<phone::PhoneCalls> calls;
    phone::InMemoryWebhookClaims claims;
    phone::PhoneLines lines{3};
    phone::PhoneCallSettings settings;
    std::unique_ptr<phone::PhoneCallContext> call_context;
    std::unique_ptr<phone::OpenAiWebhookRouteContext> route;
};

TEST_F(PhoneCallTest, CallIsAcceptedWithThePhoneSessionAndItsTools) {
    start_phone();
    const auto call_id = place_call();
    const auto accepts = fake_realtime.calls().requests(call_id, "accept");
    ASSERT_EQ(accepts.size(), 1u);
    const json& session = accepts[0].body;
    EXPECT_EQ(session["type"], "realtime");
    EXPECT_EQ(session["model"], relay_context->upstream.model);
    std::vector<std::string> tools;
    for (const auto& tool : session["tools"]) tools.push_back(tool["name"]);
    EXPECT_EQ(tools, (std::vector<std::string>{"get_available_meeting_types", "check_meeting_availability",
                                               "schedule_call", "book_meeting", "transfer_to_human", "end_call"}));
    const std::string instructions = session["instructions"];
    EXPECT_NE(instructions.find("phone call"), std::string::npos);
    EXPECT_NE(instructions.find("the United States or Canada"), std::string::npos);  // from +1, to confirm
    EXPECT_NE(instructions.find("ask for the person's time zone"), std::string::npos);
    // The caller's number is never given to the model, only the choice to use it.
    EXPECT_EQ(instructions.find(kCaller), std::string::npos);
    EXPECT_FALSE(session["audio"]["input"].contains("format"));
    EXPECT_EQ(session["audio"]["output"]["voice"], relay_context->upstream.voice);
    // The assistant greets the caller first.
    EXPECT_TRUE(test::wait_until([&] { return !fake_realtime.assistant_said(call_id).empty(); }));
    EXPECT_EQ(calls_counted("accepted", ""), 1u);
}

TEST_F(PhoneCallTest, MeetingBookedByPhoneIsConfirmedInTheCallAndEndCallHangsUp) {
    start_phone();
    fake_realtime.on_user_text("book", FakeTurn::calling({FakeToolCall{"book_meeting", first_slot_booking()}}));
    fake_realtime.on_user_text("goodbye", FakeTurn::calling({FakeToolCall{"end_call", json::object()}}));
    const auto call_id = place_call();
    fake_realtime.caller_says(call_id, "Please book the thirty minute meeting");
    // Calendly's signed invitee.created reaches the webhook route, and the call hears it.
    // (the fake model answers a system note with "Fake Realtime noted: <the note>")
    ASSERT_TRUE(heard(call_id, "Fake Realtime noted:")) << ::testing::PrintToString(fake_realtime.assistant_said(call_id));
    ASSERT_EQ(fake_realtime.system_texts().size(), 1u);
    EXPECT_NE(fake_realtime.system_texts()[0].find("confirmed"), std::string::npos) << fake_realtime.system_texts()[0];
    ASSERT_EQ(fake_calendly.bookings().size(), 1u);
    EXPECT_EQ(fake_calendly.bookings()[0].email, "ada@example.com");
    EXPECT_TRUE(fake_calendly.bookings()[0].text_reminder_number.empty());  // nobody said yes

    fake_realtime.caller_says(call_id, "Thanks, goodbye");
    ASSERT_TRUE(reaches(call_id, FakeCallState::hung_up));
    EXPECT_TRUE(test::wait_until([&] { return lines.in_use() == 0; }));
    ASSERT_TRUE(counted("completed", "conversation_over"));
    EXPECT_EQ(metrics.histogram("calrt_phone_call_bookings", "").count(), 1u);
}

TEST_F(PhoneCallTest, CallingNumberGetsTextRemindersOnlyWhenTheAssistantSaysTheCallerAgreed) {
    start_phone();
    fake_realtime.on_user_text(
        "yes", FakeTurn::calling({FakeToolCall{"book_meeting", first_slot_booking({{"text_reminders_to_calling_number", true}})}}));
    const auto call_id = place_call();
    fake_realtime.caller_says(call_id, "yes, text me at this number");
    ASSERT_TRUE(test::wait_until([&] { return fake_calendly.bookings().size() == 1; }));
    // The number is the one the call came from, never one the model wrote.
    EXPECT_EQ(fake_calendly.bookings()[0].text_reminder_number, kCaller);
}

TEST_F(PhoneCallTest, CallerWhoAsksForAHumanIsTransferredToTheHandoffUri) {
    settings.handoff_uri = "tel:+14155550100";
    start_phone();
    fake_realtime.on_user_text("human",
                               FakeTurn::calling({FakeToolCall{"transfer_to_human", {{"reason", "wants a person"}}}}));
    const auto call_id = place_call();
    // The caller lets the greeting finish (speaking over it would cut it off, and it would not
    // count as said).
    ASSERT_TRUE(test::wait_until([&] { return !fake_realtime.assistant_said(call_id).empty(); }));
    fake_realtime.caller_says(call_id, "Can I talk to a human?");
    ASSERT_TRUE(reaches(call_id, FakeCallState::referred));
    const auto refers = fake_realtime.calls().requests(call_id, "refer");
    ASSERT_EQ(refers.size(), 1u);
    EXPECT_EQ(refers[0].body, json({{"target_uri", "tel:+14155550100"}}));
    // The assistant said so first: the answer to the tool's output went out before the REFER.
    EXPECT_GE(fake_realtime.assistant_said(call_id).size(), 2u);
    EXPECT_TRUE(test::wait_until([&] { return lines.in_use() == 0; }));
    EXPECT_TRUE(counted("transferred", "asked_for_human"));
}

TEST_F(PhoneCallTest, WithoutAHandoffUriTheAssistantIsToldHowToReachTheHostAndTheCallGoesOn) {
    start_phone();
    fake_realtime.on_user_text("human", FakeTurn::calling({FakeToolCall{"transfer_to_human", json::object()}}));
    const auto call_id = place_call();
    fake_realtime.caller_says(call_id, "Can I talk to a human?");
    ASSERT_TRUE(test::wait_until([&] {
        for (const auto& output : fake_realtime.function_call_outputs()) {
            if (output.value("output", "").find("calendly.com/fallback") != std::string::npos) return true;
        }
        return false;
    }));
    EXPECT_TRUE(fake_realtime.calls().requests(call_id, "refer").empty());
    EXPECT_EQ(fake_realtime.calls().state(call_id), FakeCallState::accepted);
}

TEST_F(PhoneCallTest, TwoFailuresInARowHandTheCallToAPerson) {
    settings.handoff_uri = "sip:desk@pbx.example.com";
    start_phone();
    // Both /event_types and /event_type_available_times.
    fake_calendly.inject("/event_type", testing::FaultPlan::error(503, 100));
    fake_realtime.on_user_text("free", FakeTurn::calling({FakeToolCall{"check_meeting_availability", json::object()}}));
    const auto call_id = place_call();
    fake_realtime.caller_says(call_id, "When are you free?");
    ASSERT_TRUE(test::wait_until([&] { return fake_realtime.function_call_outputs().size() == 1; }));
    EXPECT_EQ(fake_realtime.calls().state(call_id), FakeCallState::accepted);  // one failure is not two
    fake_realtime.caller_says(call_id, "Are you free at all?");
    ASSERT_TRUE(reaches(call_id, FakeCallState::referred));
    EXPECT_EQ(fake_realtime.calls().requests(call_id, "refer")[0].body, json({{"target_uri", "sip:desk@pbx.example.com"}}));
}

TEST_F(PhoneCallTest, CallAtItsLengthLimitHearsGoodbyeAndIsHungUp) {
    settings.max_duration = 300ms;
    start_phone();
    const auto call_id = place_call();
    ASSERT_TRUE(reaches(call_id, FakeCallState::hung_up));
    EXPECT_TRUE(counted("completed", "time_limit"));
    // The greeting, then the goodbye the service asked for.
    EXPECT_GE(fake_realtime.assistant_said(call_id).size(), 2u);
}

TEST_F(PhoneCallTest, CallPastItsResponsesIsHungUp) {
    settings.max_responses = 1;  // the greeting
    start_phone();
    const auto call_id = place_call();
    fake_realtime.caller_says(call_id, "Hello?");
    ASSERT_TRUE(reaches(call_id, FakeCallState::hung_up));
    EXPECT_TRUE(counted("completed", "responses"));
}

TEST_F(PhoneCallTest, CallPastItsToolCallsIsHungUp) {
    settings.max_tool_calls = 1;
    start_phone();
    fake_realtime.on_user_text("types", FakeTurn::calling({FakeToolCall{"get_available_meeting_types", json::object()},
                                                           FakeToolCall{"get_available_meeting_types", json::object()}}));
    const auto call_id = place_call();
    fake_realtime.caller_says(call_id, "What types do you have?");
    ASSERT_TRUE(reaches(call_id, FakeCallState::hung_up));
    EXPECT_TRUE(counted("completed", "tool_calls"));
}

TEST_F(PhoneCallTest, CallIsEndedWhenTheDaysPhoneMinutesAreUsedUp) {
    settings.minutes_tick = 50ms;
    start_phone();
    std::vector<std::chrono::seconds> charged;
    std::mutex charged_mutex;
    call_context->charge_call_time = [&](std::chrono::seconds elapsed) {
        const std::lock_guard lock(charged_mutex);
        charged.push_back(elapsed);
        return used_up();
    };
    const auto call_id = place_call();
    ASSERT_TRUE(reaches(call_id, FakeCallState::hung_up));
    EXPECT_TRUE(counted("completed", "daily_minutes"));
    const std::lock_guard lock(charged_mutex);
    ASSERT_FALSE(charged.empty());
    EXPECT_GE(charged.front(), 1s);  // whole seconds, as they pass
}

TEST_F(PhoneCallTest, CallerHangingUpEndsTheCallAndFreesItsLine) {
    start_phone();
    const auto call_id = place_call();
    fake_realtime.caller_hangs_up(call_id);
    EXPECT_TRUE(test::wait_until([&] { return lines.in_use() == 0 && call_context->active.size() == 0; }));
    EXPECT_TRUE(fake_realtime.calls().requests(call_id, "hangup").empty());
    EXPECT_TRUE(counted("completed", "caller"));
}

TEST_F(PhoneCallTest, DroppedSidebandIsAttachedAgainAndTheCallGoesOn) {
    start_phone();
    fake_realtime.on_user_text("after", FakeTurn::saying("still here"));
    const auto call_id = place_call();
    fake_realtime.drop_connections();
    ASSERT_TRUE(test::wait_until([&] {
        const auto ids = fake_realtime.sideband_call_ids();
        return std::count(ids.begin(), ids.end(), call_id) == 2 && fake_realtime.sideband_open(call_id);
    }));
    fake_realtime.caller_says(call_id, "are you there after that?");
    EXPECT_TRUE(heard(call_id, "still here"));
    EXPECT_EQ(fake_realtime.calls().state(call_id), FakeCallState::accepted);
}

TEST_F(PhoneCallTest, SidebandThatCannotBeAttachedAgainEndsTheCallCleanly) {
    settings.reattach_attempts = 0;
    start_phone();
    const auto call_id = place_call();
    fake_realtime.drop_connections();
    ASSERT_TRUE(reaches(call_id, FakeCallState::hung_up));
    EXPECT_TRUE(test::wait_until([&] { return lines.in_use() == 0; }));
    EXPECT_TRUE(counted("completed", "sideband_lost"));
}

TEST_F(PhoneCallTest, ShutdownHangsUpTheCallsInProgress) {
    start_phone();
    const auto call_id = place_call();
    call_context->active.end_all();
    ASSERT_TRUE(reaches(call_id, FakeCallState::hung_up));
    EXPECT_TRUE(counted("completed", "shutdown"));
}

}  // namespace
}  // namespace calrt
