#pragma once
// The realtime.call.incoming webhook as OpenAI delivers it (research/openai-sip.md): a POST with
//   user-agent: OpenAI/1.0 (+https://platform.openai.com/docs/webhooks)
//   content-type: application/json
//   webhook-id / webhook-timestamp / webhook-signature   (Standard Webhooks)
// and the body {"id": "evt_…", "object": "event", "type": "realtime.call.incoming",
// "created_at": <unix s>, "data": {"call_id": "rtc_…", "sip_headers": [{"name", "value"}, …]}}
// (openai-node api_reference/openapi.transformed.yml, WebhookRealtimeCallIncoming, and the
// realtime-sip guide's example delivery).
//
// Signed here with OpenSSL directly, not with calrt's verifier's own signing function, so that a
// bug there cannot agree with itself. A delivery is a plain value: a test may send it twice (a
// retry), change its timestamp or signature (stale, forged), or send it to two replicas.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "testing/fake_realtime/call_control.hpp"

namespace calrt::testing {

struct FakeWebhookDelivery {
    std::string id{};         // webhook-id: "wh_…", the same on every retry
    std::string timestamp{};  // webhook-timestamp: Unix seconds
    std::string signature{};  // webhook-signature: "v1,<base64>"
    std::string body{};
    std::string call_id{};  // data.call_id, for the test's convenience

    // The headers OpenAI sends, in its order.
    std::vector<std::pair<std::string, std::string>> headers() const;
};

// "v1," + base64(HMAC-SHA256(key, id.timestamp.body)), the key being the base64 after `whsec_`
// (or the secret's bytes without that prefix). Empty when a whsec_ secret is not base64.
std::string fake_webhook_signature(const std::string& secret, std::string_view id,
                                   std::string_view timestamp, std::string_view body);

// Offers `call` on `calls` (so the call-control routes know it) and builds its signed delivery,
// dated `now`.
FakeWebhookDelivery incoming_call_delivery(
    FakeCalls& calls, FakeIncomingCall call, const std::string& webhook_secret,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// A signed delivery of another event type, e.g. {"type": "batch.completed", "data": {"id":
// "batch_1"}}: `event` gets "id", "object" and "created_at" when it lacks them.
FakeWebhookDelivery event_delivery(
    nlohmann::json event, const std::string& webhook_secret,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

struct FakeWebhookAnswer {
    unsigned status = 0;
    std::string body{};
};

// POSTs `delivery` to `url` (http://host:port/path) on a connection of its own and waits for the
// answer, at most `timeout`; nullopt when there is none. Blocking: call it from a test's thread,
// not from an io_context the receiving server runs on.
std::optional<FakeWebhookAnswer> send_webhook(
    const FakeWebhookDelivery& delivery, std::string_view url,
    std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace calrt::testing
