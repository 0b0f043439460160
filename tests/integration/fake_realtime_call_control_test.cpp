// The fake OpenAI's SIP call control and its incoming-call webhook, over real sockets: what the
// phone code will be tested against must answer as research/openai-sip.md says OpenAI does.

#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "calrt/core/config.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/net/websocket_client.hpp"
#include "calrt/phone/webhook_signature.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/router.hpp"
#include "support/free_port.hpp"
#include "support/http_test_client.hpp"
#include "support/io_threads.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"
#include "testing/fake_realtime/incoming_call_webhook.hpp"

namespace calrt {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kKey = "test-openai-key";
const std::string kSecret =
    "whsec_" + std::string("c2VjcmV0LWtleS1ieXRlcy1mb3ItdGhlLWZha2UtdGVzdA==");

class FakeCallControl : public ::testing::Test {
  protected:
    FakeCallControl() { fake.start(); }
    ~FakeCallControl() override { io.stop(); }

    test::HttpResponse post(const std::string& call_id, const std::string& action,
                            std::string_view body = {}, std::string key = kKey) {
        std::vector<std::pair<std::string, std::string>> headers;
        if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
        if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
        return test::http_request(fake.port(), "POST",
                                  "/v1/realtime/calls/" + call_id + "/" + action,
                                  std::move(headers), body);
    }

    static std::string error_code(const test::HttpResponse& response) {
        const json body = json::parse(response.body(), nullptr, false);
        return body.is_object() ? body["error"].value("code", "") : "";
    }

    test::IoThreads io{1};
    testing::FakeRealtime fake{io.io, testing::FakeRealtimeOptions{.api_key = kKey}};
};

TEST_F(FakeCallControl, AcceptAnswersEmpty200AndRecordsTheSessionConfig) {
    const std::string call = fake.calls().offer();
    const auto response = post(
        call, "accept", R"({"type":"realtime","model":"gpt-realtime-2.1","instructions":"hi"})");
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_TRUE(response.body().empty());
    EXPECT_EQ(fake.calls().state(call), testing::FakeCallState::accepted);
    const auto accepts = fake.calls().requests(call, "accept");
    ASSERT_EQ(accepts.size(), 1u);
    EXPECT_EQ(accepts[0].body["instructions"], "hi");
}

TEST_F(FakeCallControl, AcceptWithoutSessionTypeIsRefused) {
    const std::string call = fake.calls().offer();
    const auto response = post(call, "accept", R"({"model":"gpt-realtime-2.1"})");
    EXPECT_EQ(response.result_int(), 400u);
    EXPECT_EQ(error_code(response), "missing_required_parameter");
    EXPECT_EQ(fake.calls().state(call), testing::FakeCallState::ringing);
}

TEST_F(FakeCallControl, SecondAcceptOfOneCallIsRefusedAndBothAreRecorded) {
    const std::string call = fake.calls().offer();
    EXPECT_EQ(post(call, "accept", R"({"type":"realtime"})").result_int(), 200u);
    const auto again = post(call, "accept", R"({"type":"realtime"})");
    EXPECT_EQ(again.result_int(), 400u);
    EXPECT_EQ(error_code(again), "invalid_call_state");
    EXPECT_EQ(fake.calls().requests(call, "accept").size(), 2u);
}

TEST_F(FakeCallControl, UnknownCallAnswers404CallIdNotFound) {
    const auto response = post("rtc_nope", "hangup");
    EXPECT_EQ(response.result_int(), 404u);
    EXPECT_EQ(error_code(response), "call_id_not_found");
}

TEST_F(FakeCallControl, WrongOrMissingKeyAnswers401) {
    const std::string call = fake.calls().offer();
    EXPECT_EQ(post(call, "accept", R"({"type":"realtime"})", "wrong").result_int(), 401u);
    EXPECT_EQ(post(call, "accept", R"({"type":"realtime"})", "").result_int(), 401u);
    EXPECT_EQ(fake.calls().state(call), testing::FakeCallState::ringing);
}

TEST_F(FakeCallControl, RejectTakesAnOptionalSipStatusAndNothingElse) {
    const std::string busy = fake.calls().offer();
    EXPECT_EQ(post(busy, "reject", R"({"status_code":486})").result_int(), 200u);
    EXPECT_EQ(fake.calls().state(busy), testing::FakeCallState::rejected);
    EXPECT_EQ(fake.calls().requests(busy, "reject").at(0).body["status_code"], 486);

    const std::string plain = fake.calls().offer();
    EXPECT_EQ(post(plain, "reject").result_int(), 200u);  // 603 Decline by default

    const std::string odd = fake.calls().offer();
    EXPECT_EQ(error_code(post(odd, "reject", R"({"status_code":486,"reason":"busy"})")),
              "unknown_parameter");
    EXPECT_EQ(post(odd, "reject", R"({"status_code":200})").result_int(), 400u);
    EXPECT_EQ(fake.calls().state(odd), testing::FakeCallState::ringing);
}

TEST_F(FakeCallControl, ReferNeedsAnAcceptedCallAndATelOrSipTarget) {
    const std::string call = fake.calls().offer();
    EXPECT_EQ(error_code(post(call, "refer", R"({"target_uri":"tel:+14155550123"})")),
              "invalid_call_state");
    ASSERT_EQ(post(call, "accept", R"({"type":"realtime"})").result_int(), 200u);
    EXPECT_EQ(post(call, "refer", R"({"target_uri":"https://example.com"})").result_int(), 400u);
    EXPECT_EQ(post(call, "refer", R"({"target_uri":"sip:agent@example.com"})").result_int(), 200u);
    EXPECT_EQ(fake.calls().state(call), testing::FakeCallState::referred);
}

TEST_F(FakeCallControl, HangupEndsAnAcceptedCallOnce) {
    const std::string call = fake.calls().offer();
    ASSERT_EQ(post(call, "accept", R"({"type":"realtime"})").result_int(), 200u);
    EXPECT_EQ(post(call, "hangup").result_int(), 200u);
    EXPECT_EQ(fake.calls().state(call), testing::FakeCallState::hung_up);
    EXPECT_EQ(error_code(post(call, "hangup")), "invalid_call_state");
}

TEST_F(FakeCallControl, FailNextAnswersOnceWithTheGivenError) {
    const std::string call = fake.calls().offer();
    fake.calls().fail_next("accept", 500,
                           {{"message", "boom"}, {"type", "server_error"}, {"code", nullptr}});
    EXPECT_EQ(post(call, "accept", R"({"type":"realtime"})").result_int(), 500u);
    EXPECT_EQ(fake.calls().state(call), testing::FakeCallState::ringing);
    EXPECT_EQ(post(call, "accept", R"({"type":"realtime"})").result_int(), 200u);
}

// A sideband connection (?call_id=, no model) to a call: refused unless the call was accepted.
Result<net::WebSocket> connect_sideband(test::IoThreads& io, const testing::FakeRealtime& fake,
                                        const std::string& call_id) {
    net::HeaderList headers;
    headers.emplace_back("Authorization", std::string("Bearer ") + kKey);
    return io.run(net::connect_websocket(io.io.get_executor(), fake.url() + "?call_id=" + call_id,
                                         std::move(headers), {}));
}

TEST_F(FakeCallControl, SidebandOpensOnlyForAnAcceptedCall) {
    const std::string call = fake.calls().offer();
    EXPECT_FALSE(connect_sideband(io, fake, call));  // still ringing
    EXPECT_FALSE(connect_sideband(io, fake, "rtc_unknown"));
    ASSERT_EQ(post(call, "accept", R"({"type":"realtime"})").result_int(), 200u);
    auto sideband = connect_sideband(io, fake, call);
    ASSERT_TRUE(sideband) << sideband.error().message;
    const auto first = io.run(sideband->read());
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(json::parse(*first).value("type", ""), "session.created");
    EXPECT_EQ(fake.sideband_call_ids(), std::vector<std::string>{call});
}

// A loopback receiver that records what reaches it and answers 200.
struct RecordingReceiver {
    explicit RecordingReceiver(boost::asio::io_context& io) {
        router.post("/api/openai/webhook", server::sync_handler([this](server::Request& request) {
                        std::lock_guard lock(mutex);
                        received.push_back(request);
                        server::Response ok;
                        ok.body = R"({"ok":true})";
                        return ok;
                    }));
        ServerConfig config;
        server = std::make_unique<server::HttpServer>(io, config, router, metrics);
        server->start();
    }
    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(server->port()) + "/api/openai/webhook";
    }

    std::mutex mutex;
    std::vector<server::Request> received;
    MetricsRegistry metrics;
    server::Router router;
    std::unique_ptr<server::HttpServer> server;
};

TEST_F(FakeCallControl, IncomingCallWebhookHasOpenAIsShapeAndVerifiesWithTheServicesVerifier) {
    RecordingReceiver receiver(io.io);
    testing::FakeIncomingCall incoming;
    incoming.from = "\"Ada\" <sip:+442071838750@trunk.example>;tag=1";
    const auto delivery = testing::incoming_call_delivery(fake.calls(), incoming, kSecret);
    EXPECT_EQ(fake.calls().state(delivery.call_id), testing::FakeCallState::ringing);

    const auto answer = testing::send_webhook(delivery, receiver.url());
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200u);

    std::lock_guard lock(receiver.mutex);
    ASSERT_EQ(receiver.received.size(), 1u);
    const server::Request& request = receiver.received[0];
    EXPECT_EQ(request.header("user-agent"),
              "OpenAI/1.0 (+https://platform.openai.com/docs/webhooks)");
    const json event = json::parse(request.body);
    EXPECT_EQ(event["type"], "realtime.call.incoming");
    EXPECT_EQ(event["object"], "event");
    EXPECT_TRUE(event["created_at"].is_number_integer());
    EXPECT_EQ(event["data"]["call_id"], delivery.call_id);
    bool has_from = false;
    for (const auto& header : event["data"]["sip_headers"]) {
        has_from = has_from || (header["name"] == "From" && header["value"] == incoming.from);
    }
    EXPECT_TRUE(has_from);

    // Signed by the fake's own OpenSSL code; verified by the service's module.
    const auto verified = phone::verify_openai_webhook(
        {request.header("webhook-id"), request.header("webhook-timestamp"),
         request.header("webhook-signature")},
        request.body, Secret(kSecret),
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
    EXPECT_TRUE(verified) << verified.error().message;
}

TEST_F(FakeCallControl, SendWebhookToNothingGivesNoAnswer) {
    const auto delivery = testing::event_delivery(
        {{"type", "batch.completed"}, {"data", {{"id", "batch_1"}}}}, kSecret);
    EXPECT_FALSE(testing::send_webhook(
        delivery, "http://127.0.0.1:" + std::to_string(test::free_port()) + "/x", 2s));
    EXPECT_FALSE(testing::send_webhook(delivery, "not a url"));
}

}  // namespace
}  // namespace calrt
