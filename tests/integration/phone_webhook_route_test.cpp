// POST /api/openai/webhook over real sockets: the fake OpenAI signs and sends
// realtime.call.incoming, the route verifies it and accepts (or rejects) the call through the
// fake's call control.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "calrt/core/metrics.hpp"
#include "calrt/core/time.hpp"
#include "calrt/net/http_client.hpp"
#include "calrt/phone/phone_calls.hpp"
#include "calrt/phone/webhook_route.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/router.hpp"
#include "support/io_threads.hpp"
#include "support/running_server.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"
#include "testing/fake_realtime/incoming_call_webhook.hpp"

namespace calrt {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kKey = "test-openai-key";
const std::string kSecret = "whsec_c2VjcmV0LWtleS1ieXRlcy1mb3ItdGhlLWZha2UtdGVzdA==";
const std::string kOtherSecret = "whsec_YW5vdGhlci1wcm9qZWN0cy1zaWduaW5nLWtleQ==";

json accept_session() {
    return {{"type", "realtime"},
            {"model", "gpt-realtime-2.1"},
            {"instructions", "You answer the phone."},
            {"tools", json::array()}};
}

// The route on a loopback server, wired to the fake OpenAI like the service would be.
class PhoneWebhookRoute : public ::testing::Test {
  protected:
    explicit PhoneWebhookRoute(std::size_t max_calls = 2, std::string secret = kSecret)
        : lines(max_calls),
          context{Secret(std::move(secret)), *calls, claims,  lines,
                  accept_session(),          clock,  metrics, io.io.get_executor()} {
        phone::add_openai_webhook_route(router, context);
        server = std::make_unique<server::HttpServer>(io.io, test::test_server_config(), router, metrics);
        server->start();
    }
    ~PhoneWebhookRoute() override { io.stop(); }

    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(server->port()) + "/api/openai/webhook";
    }

    testing::FakeWebhookDelivery ring(
        std::chrono::system_clock::time_point when = std::chrono::system_clock::now()) {
        return testing::incoming_call_delivery(fake.calls(), testing::FakeIncomingCall{}, kSecret,
                                               when);
    }

    testing::FakeWebhookAnswer send(const testing::FakeWebhookDelivery& delivery) {
        auto answer = testing::send_webhook(delivery, url());
        if (!answer) throw std::runtime_error("no answer from the route");
        return *answer;
    }

    static std::string field(const testing::FakeWebhookAnswer& answer, const char* name) {
        const json body = json::parse(answer.body, nullptr, false);
        return body.is_object() && body.contains(name) && body[name].is_string()
                   ? body[name].get<std::string>()
                   : "";
    }
    static std::string error_code(const testing::FakeWebhookAnswer& answer) {
        const json body = json::parse(answer.body, nullptr, false);
        return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
    }

    bool call_reaches(const std::string& call_id, testing::FakeCallState state) {
        return test::wait_until([&] { return fake.calls().state(call_id) == state; });
    }

    // The service counts a rejection once OpenAI has answered its reject request, which is just
    // after the fake has recorded it.
    bool rejections_counted(const std::string& reason, std::uint64_t expected) {
        return test::wait_until([&] {
            return metrics.counter("calrt_phone_calls_total", "", {{"outcome", "rejected"}, {"reason", reason}})
                       .value() == expected;
        });
    }

    test::IoThreads io{2};
    testing::FakeRealtime fake{io.io, testing::FakeRealtimeOptions{.api_key = kKey}};
    // Started here, before `calls` below asks for its port.
    bool fake_started = [this] {
        fake.start();
        return true;
    }();
    net::HttpClient http{io.io.get_executor()};
    std::unique_ptr<phone::PhoneCalls> calls = phone::make_openai_phone_calls(
        http, {.api_base_url = fake.rest_url(), .api_key = Secret(kKey)});
    phone::InMemoryWebhookClaims claims;
    phone::PhoneLines lines;
    SystemClock clock;
    MetricsRegistry metrics;
    phone::OpenAiWebhookRouteContext context;
    server::Router router;
    std::unique_ptr<server::HttpServer> server;
};

TEST_F(PhoneWebhookRoute, SignedIncomingCallIsAcknowledgedAndAcceptedWithTheSessionConfig) {
    const auto delivery = ring();
    const auto answer = send(delivery);
    EXPECT_EQ(answer.status, 200u);
    EXPECT_EQ(field(answer, "outcome"), "answering");
    ASSERT_TRUE(call_reaches(delivery.call_id, testing::FakeCallState::accepted));
    const auto accepts = fake.calls().requests(delivery.call_id, "accept");
    ASSERT_EQ(accepts.size(), 1u);
    EXPECT_EQ(accepts[0].body, accept_session());
}

TEST_F(PhoneWebhookRoute, ForgedSignatureIsRefused401AndNoCallIsTouched) {
    auto delivery = ring();
    delivery.signature = testing::fake_webhook_signature(kOtherSecret, delivery.id,
                                                         delivery.timestamp, delivery.body);
    const auto answer = send(delivery);
    EXPECT_EQ(answer.status, 401u);
    EXPECT_EQ(error_code(answer), "webhook_signature_mismatch");
    EXPECT_TRUE(fake.calls().requests().empty());
}

TEST_F(PhoneWebhookRoute, DeliverySignedSixMinutesAgoIsRefusedAsStale) {
    const auto delivery = ring(std::chrono::system_clock::now() - 6min);
    const auto answer = send(delivery);
    EXPECT_EQ(answer.status, 401u);
    EXPECT_EQ(error_code(answer), "stale_webhook_signature");
    EXPECT_TRUE(fake.calls().requests().empty());
}

TEST_F(PhoneWebhookRoute, RetriedDeliveryIsAnswered200AndAcceptsTheCallOnce) {
    const auto delivery = ring();
    EXPECT_EQ(field(send(delivery), "outcome"), "answering");
    const auto retry = send(delivery);
    EXPECT_EQ(retry.status, 200u);
    EXPECT_EQ(field(retry, "outcome"), "duplicate");
    ASSERT_TRUE(call_reaches(delivery.call_id, testing::FakeCallState::accepted));
    EXPECT_EQ(fake.calls().requests(delivery.call_id, "accept").size(), 1u);
}

TEST_F(PhoneWebhookRoute, SameCallUnderAnotherWebhookIdIsNotAcceptedTwice) {
    const auto delivery = ring();
    EXPECT_EQ(field(send(delivery), "outcome"), "answering");
    auto again = delivery;
    again.id = "wh_another_delivery_of_the_same_call";
    again.signature =
        testing::fake_webhook_signature(kSecret, again.id, again.timestamp, again.body);
    EXPECT_EQ(field(send(again), "outcome"), "duplicate");
    ASSERT_TRUE(call_reaches(delivery.call_id, testing::FakeCallState::accepted));
    EXPECT_EQ(fake.calls().requests(delivery.call_id, "accept").size(), 1u);
}

TEST_F(PhoneWebhookRoute, CallPastPhoneMaxCallsIsRejectedBusyHere) {
    const auto first = ring();
    const auto second = ring();
    const auto third = ring();
    EXPECT_EQ(field(send(first), "outcome"), "answering");
    EXPECT_EQ(field(send(second), "outcome"), "answering");
    ASSERT_TRUE(call_reaches(first.call_id, testing::FakeCallState::accepted));
    ASSERT_TRUE(call_reaches(second.call_id, testing::FakeCallState::accepted));
    EXPECT_EQ(field(send(third), "outcome"), "answering");
    ASSERT_TRUE(call_reaches(third.call_id, testing::FakeCallState::rejected));
    const auto rejects = fake.calls().requests(third.call_id, "reject");
    ASSERT_EQ(rejects.size(), 1u);
    EXPECT_EQ(rejects[0].body, json({{"status_code", 486}}));
    EXPECT_TRUE(fake.calls().requests(third.call_id, "accept").empty());
}

TEST_F(PhoneWebhookRoute, FailedAcceptFreesItsLine) {
    fake.calls().fail_next(
        "accept", 500,
        {{"message", "The server had an error"}, {"type", "server_error"}, {"code", nullptr}});
    const auto delivery = ring();
    EXPECT_EQ(field(send(delivery), "outcome"), "answering");
    ASSERT_TRUE(test::wait_until(
        [&] { return fake.calls().requests(delivery.call_id, "accept").size() == 1; }));
    EXPECT_TRUE(test::wait_until([&] { return lines.in_use() == 0; }));
}

TEST_F(PhoneWebhookRoute, OtherEventTypesAreAcknowledgedAndIgnored) {
    const auto delivery = testing::event_delivery(
        {{"type", "batch.completed"}, {"data", {{"id", "batch_1"}}}}, kSecret);
    const auto answer = send(delivery);
    EXPECT_EQ(answer.status, 200u);
    EXPECT_EQ(field(answer, "outcome"), "ignored");
    EXPECT_TRUE(fake.calls().requests().empty());
}

TEST_F(PhoneWebhookRoute, RetriedDeliveryOfAnyTypeIsRecognisedByItsWebhookId) {
    const auto delivery = testing::event_delivery(
        {{"type", "batch.completed"}, {"data", {{"id", "batch_1"}}}}, kSecret);
    EXPECT_EQ(field(send(delivery), "outcome"), "ignored");
    const auto retry = send(delivery);
    EXPECT_EQ(retry.status, 200u);
    EXPECT_EQ(field(retry, "outcome"), "duplicate");
}

testing::FakeWebhookDelivery ring_from(testing::FakeCalls& calls, std::string from) {
    testing::FakeIncomingCall call;
    call.from = std::move(from);
    return testing::incoming_call_delivery(calls, std::move(call), kSecret);
}

TEST_F(PhoneWebhookRoute, BlockedNumberAndAnonymousCallerAreDeclined) {
    context.blocked = *phone::BlockedNumbers::parse("+1900*, anonymous");
    const auto premium = ring_from(fake.calls(), "<sip:+19005550100@trunk.example.com>;tag=1");
    const auto anonymous = ring_from(fake.calls(), "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=2");
    const auto allowed = ring_from(fake.calls(), "<sip:+14155550123@trunk.example.com>;tag=3");
    EXPECT_EQ(send(premium).status, 200u);
    EXPECT_EQ(send(anonymous).status, 200u);
    EXPECT_EQ(send(allowed).status, 200u);
    ASSERT_TRUE(call_reaches(premium.call_id, testing::FakeCallState::rejected));
    ASSERT_TRUE(call_reaches(anonymous.call_id, testing::FakeCallState::rejected));
    ASSERT_TRUE(call_reaches(allowed.call_id, testing::FakeCallState::accepted));
    EXPECT_EQ(fake.calls().requests(premium.call_id, "reject")[0].body, json({{"status_code", 603}}));
    EXPECT_EQ(fake.calls().requests(anonymous.call_id, "reject")[0].body, json({{"status_code", 603}}));
    EXPECT_EQ(lines.in_use(), 1u);
    EXPECT_TRUE(rejections_counted("blocked_number", 2));
}

TEST_F(PhoneWebhookRoute, CallOutsidePhoneHoursIsDeclined) {
    // Open one minute a week, a week away from now: never now.
    const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const unsigned today = std::chrono::weekday(now).iso_encoding() - 1;
    const char* days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    context.hours = *phone::PhoneHours::parse(std::string(days[(today + 3) % 7]) + " 03:00-03:01");
    const auto delivery = ring();
    EXPECT_EQ(send(delivery).status, 200u);
    ASSERT_TRUE(call_reaches(delivery.call_id, testing::FakeCallState::rejected));
    EXPECT_EQ(fake.calls().requests(delivery.call_id, "reject")[0].body, json({{"status_code", 603}}));
    EXPECT_TRUE(fake.calls().requests(delivery.call_id, "accept").empty());
}

TEST_F(PhoneWebhookRoute, CallerPastTheirLimitIsDeclinedWithTheLimitsReason) {
    std::vector<std::string> asked;
    context.admit_caller = [&asked](std::string number) -> boost::asio::awaitable<Result<std::string>> {
        asked.push_back(number);
        co_return std::string(asked.size() > 1 ? "number_hourly_limit" : "");
    };
    const auto first = ring();
    const auto second = ring();
    EXPECT_EQ(send(first).status, 200u);
    ASSERT_TRUE(call_reaches(first.call_id, testing::FakeCallState::accepted));
    EXPECT_EQ(send(second).status, 200u);
    ASSERT_TRUE(call_reaches(second.call_id, testing::FakeCallState::rejected));
    EXPECT_EQ(asked, (std::vector<std::string>{"+14155550123", "+14155550123"}));
    EXPECT_EQ(fake.calls().requests(second.call_id, "reject")[0].body, json({{"status_code", 603}}));
    EXPECT_TRUE(rejections_counted("number_hourly_limit", 1));
}

class PhoneWebhookRouteWithoutSecret : public PhoneWebhookRoute {
  protected:
    PhoneWebhookRouteWithoutSecret() : PhoneWebhookRoute(2, "") {}
};

TEST_F(PhoneWebhookRouteWithoutSecret, AnswersNotConfigured503) {
    const auto answer = send(ring());
    EXPECT_EQ(answer.status, 503u);
    EXPECT_EQ(error_code(answer), "phone_not_configured");
    EXPECT_TRUE(fake.calls().requests().empty());
}

}  // namespace
}  // namespace calrt
