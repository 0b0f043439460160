#include "testing/fake_realtime/speech_stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <cmath>
#include <numbers>
#include <nlohmann/json.hpp>

#include "testing/fake_realtime/pcm16_audio.hpp"

namespace calrt::testing {
namespace asio = boost::asio;
using nlohmann::json;
using std::chrono::steady_clock;

namespace {

constexpr std::size_t kSampleRate = 24'000;

bool send(const std::weak_ptr<net::WebSocket>& weak, std::string text) {
    auto socket = weak.lock();
    if (!socket) return false;
    socket->send(std::move(text));
    return true;
}

std::string serialized(const json& event) { return event.dump(); }

}  // namespace

// Zero bytes encode as 'A', padded to a multiple of 4.
std::string silent_pcm16_base64(std::chrono::milliseconds length) {
    const std::size_t bytes = 2 * kSampleRate * static_cast<std::size_t>(length.count()) / 1000;
    std::string text(4 * (bytes / 3), 'A');
    if (bytes % 3 == 1) text += "AA==";
    if (bytes % 3 == 2) text += "AAA=";
    return text;
}

std::string speech_pcm16_base64(std::chrono::milliseconds length) {
    const auto count = kSampleRate * static_cast<std::size_t>(length.count()) / 1000;
    std::vector<std::int16_t> samples(count);
    for (std::size_t i = 0; i < count; ++i) {
        const double phase = 2 * std::numbers::pi * 440.0 * static_cast<double>(i) / kSampleRate;
        samples[i] = static_cast<std::int16_t>(std::lround(0.3 * 32767.0 * std::sin(phase)));
    }
    return encode_pcm16_base64(samples);
}

long long event_sent_at_ns(std::string_view event_id) {
    const auto mark = event_id.rfind("_t");
    if (mark == std::string_view::npos) return -1;
    long long ns = -1;
    const auto digits = event_id.substr(mark + 2);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), ns);
    return error == std::errc() && end == digits.data() + digits.size() ? ns : -1;
}

asio::awaitable<void> stream_speech(std::weak_ptr<net::WebSocket> socket, std::string response_id,
                                    std::chrono::milliseconds length,
                                    std::chrono::milliseconds chunk) {
    const std::string item_id = response_id + "_item";
    json item = {{"id", item_id},         {"object", "realtime.item"}, {"type", "message"},
                 {"role", "assistant"},   {"status", "in_progress"},   {"content", json::array()}};
    json response = {{"id", response_id},
                     {"object", "realtime.response"},
                     {"status", "in_progress"},
                     {"output", json::array()}};
    std::size_t next_id = 0;
    const auto event_id = [&] { return response_id + "_event" + std::to_string(next_id++); };
    send(socket, serialized({{"type", "response.created"}, {"event_id", event_id()}, {"response", response}}));
    send(socket, serialized({{"type", "response.output_item.added"},
                             {"event_id", event_id()},
                             {"response_id", response_id},
                             {"output_index", 0},
                             {"item", item}}));
    // The same bytes for every delta but the event_id, built once: the benchmark measures the
    // relay, not this fake's JSON writer.
    const std::string delta_head = serialized({{"type", "response.output_audio.delta"},
                                               {"response_id", response_id},
                                               {"item_id", item_id},
                                               {"output_index", 0},
                                               {"content_index", 0},
                                               {"delta", silent_pcm16_base64(chunk)}});
    const std::string prefix = delta_head.substr(0, delta_head.size() - 1) +
                               R"(,"event_id":"event_speech)";
    asio::steady_timer timer(co_await asio::this_coro::executor);
    auto next = steady_clock::now();
    for (std::size_t n = 0; std::chrono::milliseconds(n * chunk.count()) < length; ++n) {
        next += chunk;
        timer.expires_at(next);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        const auto now = steady_clock::now().time_since_epoch().count();
        if (!send(socket, prefix + std::to_string(n) + "_t" + std::to_string(now) + "\"}")) co_return;
    }
    const json where = {{"response_id", response_id}, {"item_id", item_id},
                        {"output_index", 0},          {"content_index", 0}};
    json done = where;
    done["type"] = "response.output_audio.done";
    done["event_id"] = event_id();
    send(socket, serialized(done));
    item["status"] = "completed";
    item["content"] = json::array({{{"type", "output_audio"}, {"transcript", ""}}});
    send(socket, serialized({{"type", "response.output_item.done"},
                             {"event_id", event_id()},
                             {"response_id", response_id},
                             {"output_index", 0},
                             {"item", item}}));
    response["status"] = "completed";
    response["output"] = json::array({item});
    send(socket, serialized({{"type", "response.done"}, {"event_id", event_id()}, {"response", response}}));
}

}  // namespace calrt::testing
