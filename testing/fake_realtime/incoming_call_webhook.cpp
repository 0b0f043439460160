#include "testing/fake_realtime/incoming_call_webhook.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

#include "calrt/core/random.hpp"

namespace calrt::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

std::optional<std::string> decode_base64(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out(text.size() / 4 * 3, '\0');
    const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                       reinterpret_cast<const unsigned char*>(text.data()),
                                       static_cast<int>(text.size()));
    if (length < 0) return std::nullopt;
    // EVP_DecodeBlock counts the bytes the padding stands for as zeros.
    std::size_t padding = 0;
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) ++padding;
    out.resize(static_cast<std::size_t>(length) - padding);
    return out;
}

std::optional<std::string> hmac_key(const std::string& secret) {
    constexpr std::string_view prefix = "whsec_";
    if (!secret.starts_with(prefix)) return secret;
    return decode_base64(std::string_view(secret).substr(prefix.size()));
}

std::string unix_seconds(std::chrono::system_clock::time_point now) {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

FakeWebhookDelivery signed_delivery(std::string body, const std::string& secret,
                                    std::chrono::system_clock::time_point now) {
    FakeWebhookDelivery delivery;
    delivery.id = "wh_" + random_hex(16);
    delivery.timestamp = unix_seconds(now);
    delivery.body = std::move(body);
    delivery.signature =
        fake_webhook_signature(secret, delivery.id, delivery.timestamp, delivery.body);
    return delivery;
}

struct Target {
    std::string host;
    std::string port;
    std::string path;
};

std::optional<Target> parse_url(std::string_view url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed || parsed->scheme() != "http") return std::nullopt;
    Target target{std::string(parsed->host()),
                  parsed->has_port() ? std::string(parsed->port()) : "80",
                  std::string(parsed->encoded_target())};
    if (target.path.empty()) target.path = "/";
    return target;
}

asio::awaitable<void> post(const FakeWebhookDelivery& delivery, Target target,
                           std::chrono::milliseconds timeout,
                           std::optional<FakeWebhookAnswer>& answer) {
    auto executor = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(executor);
    beast::tcp_stream stream(executor);
    stream.expires_after(timeout);
    const auto endpoints =
        co_await resolver.async_resolve(target.host, target.port, asio::use_awaitable);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    http::request<http::string_body> request{http::verb::post, target.path, 11};
    request.set(http::field::host, target.host + ":" + target.port);
    for (const auto& [name, value] : delivery.headers()) request.set(name, value);
    request.body() = delivery.body;
    request.prepare_payload();
    co_await http::async_write(stream, request, asio::use_awaitable);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    co_await http::async_read(stream, buffer, response, asio::use_awaitable);
    answer = FakeWebhookAnswer{response.result_int(), response.body()};
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> FakeWebhookDelivery::headers() const {
    return {{"user-agent", "OpenAI/1.0 (+https://platform.openai.com/docs/webhooks)"},
            {"content-type", "application/json"},
            {"webhook-id", id},
            {"webhook-timestamp", timestamp},
            {"webhook-signature", signature}};
}

std::string fake_webhook_signature(const std::string& secret, std::string_view id,
                                   std::string_view timestamp, std::string_view body) {
    const auto key = hmac_key(secret);
    if (!key) return {};
    const std::string message =
        std::string(id) + "." + std::string(timestamp) + "." + std::string(body);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
    unsigned char encoded[64] = {};
    const int encoded_length = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
    return "v1," + std::string(reinterpret_cast<const char*>(encoded),
                               static_cast<std::size_t>(encoded_length));
}

FakeWebhookDelivery incoming_call_delivery(FakeCalls& calls, FakeIncomingCall call,
                                           const std::string& webhook_secret,
                                           std::chrono::system_clock::time_point now) {
    const std::string call_id = calls.offer(std::move(call.call_id));
    json sip_headers = json::array();
    const auto add = [&](std::string name, std::string value) {
        sip_headers.push_back({{"name", std::move(name)}, {"value", std::move(value)}});
    };
    // The spec's example headers, and what identifies a call: who, to whom, its SIP Call-ID.
    add("From", std::move(call.from));
    add("To", std::move(call.to));
    add("Call-ID", random_hex(16) + "@sip.example.com");
    add("Max-Forwards", "63");
    add("CSeq", "851287 INVITE");
    add("Content-Type", "application/sdp");
    for (auto& [name, value] : call.extra_headers) add(std::move(name), std::move(value));

    const json event = {{"id", "evt_" + random_hex(16)},
                        {"object", "event"},
                        {"type", "realtime.call.incoming"},
                        {"created_at", std::stoll(unix_seconds(now))},
                        {"data", {{"call_id", call_id}, {"sip_headers", std::move(sip_headers)}}}};
    FakeWebhookDelivery delivery = signed_delivery(event.dump(), webhook_secret, now);
    delivery.call_id = call_id;
    return delivery;
}

FakeWebhookDelivery event_delivery(json event, const std::string& webhook_secret,
                                   std::chrono::system_clock::time_point now) {
    if (!event.contains("id")) event["id"] = "evt_" + random_hex(16);
    if (!event.contains("object")) event["object"] = "event";
    if (!event.contains("created_at")) event["created_at"] = std::stoll(unix_seconds(now));
    return signed_delivery(event.dump(), webhook_secret, now);
}

std::optional<FakeWebhookAnswer> send_webhook(const FakeWebhookDelivery& delivery,
                                              std::string_view url,
                                              std::chrono::milliseconds timeout) {
    auto target = parse_url(url);
    if (!target) return std::nullopt;
    asio::io_context io;
    std::optional<FakeWebhookAnswer> answer;
    asio::co_spawn(io, post(delivery, std::move(*target), timeout, answer), [](std::exception_ptr) {
        // A refused connection, a timeout or a broken answer: no answer.
    });
    io.run();
    return answer;
}

}  // namespace calrt::testing
