#include "browser_load.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <memory>
#include <random>
#include <thread>

#include "calrt/net/websocket_client.hpp"
#include "support/running_server.hpp"
#include "testing/fake_realtime/speech_stream.hpp"

namespace calrt::bench {
namespace asio = boost::asio;
using namespace std::chrono;

namespace {

constexpr milliseconds kChunk{100};

long long now_ns() { return steady_clock::now().time_since_epoch().count(); }

double ms_since(long long sent_ns) { return static_cast<double>(now_ns() - sent_ns) / 1e6; }

// One run's sessions share this; the main thread reads it after they end.
struct LoadRun {
    steady_clock::time_point epoch = steady_clock::now();  // chunk phases count from here
    std::atomic<bool> recording{false};
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> opened{0};
    std::atomic<std::size_t> failed{0};
    std::atomic<std::size_t> finished{0};
    std::mutex mutex;
    std::vector<double> down_ms;
};

asio::awaitable<Result<net::WebSocket>> open_session(asio::any_io_executor executor,
                                                     SessionTarget target) {
    net::WebSocketOptions options;
    options.connect_timeout = seconds(30);
    auto socket = co_await net::connect_websocket(executor, target.url, target.headers, options);
    if (!socket) co_return socket.error();
    const std::string ready = "\"type\":\"" + target.ready_event + "\"";
    for (;;) {
        auto message = co_await socket->read();
        if (!message) co_return message.error();
        if (message->find(ready) != std::string::npos) break;
    }
    co_return std::move(*socket);
}

// The page's speaker side: times each streamed delta that arrives while recording.
asio::awaitable<void> hear_speech(std::shared_ptr<net::WebSocket> socket,
                                  std::shared_ptr<LoadRun> run) {
    static constexpr std::string_view kMark = "\"event_id\":\"event_speech";
    std::vector<double> mine;
    for (;;) {
        auto message = co_await socket->read();
        if (!message) break;
        if (!run->recording) continue;
        const auto at = message->rfind(kMark);
        if (at == std::string::npos) continue;
        const auto id_start = at + 12;
        const auto id_end = message->find('"', id_start);
        const auto sent = testing::event_sent_at_ns(
            std::string_view(*message).substr(id_start, id_end - id_start));
        if (sent >= 0) mine.push_back(ms_since(sent));
    }
    {
        const std::lock_guard lock(run->mutex);
        run->down_ms.insert(run->down_ms.end(), mine.begin(), mine.end());
    }
    ++run->finished;
}

// Where in each 100 ms period a session's microphone chunk leaves, and where its answer's delta
// leaves the fake.
struct SessionPhases {
    nanoseconds microphone;
    nanoseconds speaker;
};

// Independent people neither speak nor get answers in step, so each session's two phases are
// drawn at random, the same draws in every run. (Started as the sessions opened, the answers' 50
// streams all fell within 10-35 ms of each 100 ms, a burst no set of real callers makes.)
std::vector<SessionPhases> draw_phases(std::size_t sessions) {
    std::mt19937_64 random(sessions);
    std::uniform_int_distribution<nanoseconds::rep> within(0, nanoseconds(kChunk).count() - 1);
    std::vector<SessionPhases> phases(sessions);
    for (auto& session : phases) session = {nanoseconds(within(random)), nanoseconds(within(random))};
    return phases;
}

// One page: asks for the answer the fake streams at this session's speaker phase, then sends a
// microphone chunk every 100 ms at its microphone phase until the run stops.
asio::awaitable<void> stream_session(asio::any_io_executor executor, SessionTarget target,
                                     std::size_t index, SessionPhases phases,
                                     std::shared_ptr<LoadRun> run) {
    auto opened = co_await open_session(executor, std::move(target));
    if (!opened) {
        ++run->failed;
        co_return;
    }
    auto socket = std::make_shared<net::WebSocket>(std::move(*opened));
    ++run->opened;
    asio::co_spawn(executor, hear_speech(socket, run), asio::detached);

    const auto phase_at = [&](steady_clock::duration offset) {
        auto at = run->epoch + offset;
        while (at < steady_clock::now()) at += kChunk;
        return at;
    };
    asio::steady_timer timer(executor);
    // The fake paces its deltas from the response.create it reads, a transit after this.
    timer.expires_at(phase_at(phases.speaker));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    socket->send(R"({"type":"response.create"})");  // the fake's streamed speech starts

    const std::string head = R"({"type":"input_audio_buffer.append","audio":")" + testing::silent_pcm16_base64(kChunk) +
                             R"(","event_id":"evt)" + std::to_string(index) + "_";
    auto next = phase_at(phases.microphone);
    for (std::size_t n = 0; !run->stopping; ++n) {
        timer.expires_at(next);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        next += kChunk;
        socket->send(head + std::to_string(n) + "_t" + std::to_string(now_ns()) + "\"}");
    }
    co_await socket->close(net::close_code::normal, "benchmark over");
}

void wait_for(const std::function<bool()>& condition, seconds limit, const char* what) {
    if (!test::wait_until(condition, limit)) throw std::runtime_error(std::string("timed out: ") + what);
}

}  // namespace

void UpstreamClock::on_client_event(const nlohmann::json& event) {
    if (!recording_) return;
    const auto type = event.find("type");
    const auto id = event.find("event_id");
    if (type == event.end() || *type != "input_audio_buffer.append" || id == event.end() ||
        !id->is_string()) {
        return;
    }
    const auto sent = testing::event_sent_at_ns(id->get_ref<const std::string&>());
    if (sent < 0) return;
    const double transit = ms_since(sent);
    const std::lock_guard lock(mutex_);
    samples_ms_.push_back(transit);
}

std::vector<double> UpstreamClock::take() {
    const std::lock_guard lock(mutex_);
    return std::exchange(samples_ms_, {});
}

ForwardingResult stream_audio_sessions(asio::io_context& io, const SessionTarget& target,
                                       std::size_t sessions, seconds duration,
                                       UpstreamClock& upstream,
                                       const std::function<void(bool)>& measuring) {
    auto run = std::make_shared<LoadRun>();
    const auto phases = draw_phases(sessions);
    for (std::size_t index = 0; index < sessions; ++index) {
        asio::co_spawn(io, stream_session(io.get_executor(), target, index, phases[index], run),
                       asio::detached);
    }
    wait_for([&] { return run->opened + run->failed == sessions; }, seconds(120), "sessions opening");
    std::this_thread::sleep_for(seconds(1));  // warm-up: every stream is flowing
    upstream.take();
    ForwardingResult result;
    measuring(true);
    const auto started = steady_clock::now();
    upstream.record(true);
    run->recording = true;
    std::this_thread::sleep_for(duration);
    run->recording = false;
    upstream.record(false);
    result.measured = steady_clock::now() - started;
    measuring(false);
    run->stopping = true;
    wait_for([&] { return run->finished == run->opened; }, seconds(60), "sessions closing");
    result.up_ms = upstream.take();
    {
        const std::lock_guard lock(run->mutex);
        result.down_ms = std::move(run->down_ms);
    }
    result.sessions_failed = run->failed;
    return result;
}

IdleSessions::IdleSessions(asio::io_context& io, const SessionTarget& target, std::size_t count,
                           std::size_t parallel)
    : io_(io) {
    while (sockets_.size() + failed_ < count) {
        std::vector<std::future<Result<net::WebSocket>>> batch;
        for (std::size_t i = 0; i < parallel && sockets_.size() + failed_ + batch.size() < count; ++i) {
            batch.push_back(asio::co_spawn(io, open_session(io.get_executor(), target), asio::use_future));
        }
        for (auto& pending : batch) {
            auto socket = pending.get();
            if (socket) {
                sockets_.push_back(std::move(*socket));
            } else {
                ++failed_;
            }
        }
    }
}

IdleSessions::~IdleSessions() {
    for (auto& socket : sockets_) socket.abort();
}

}  // namespace calrt::bench
