#pragma once
// The browsers of the relay benchmark: N sessions that talk as the chat page does, streaming
// microphone audio up at real time (input_audio_buffer.append, 24 kHz PCM16 mono, 100 ms chunks,
// base64) while the fake Realtime streams its speech down at real time; and sessions that open and
// then sit idle. Each audio event carries its sending time, so every forwarded event's transit
// time is measured in each direction: up by the fake Realtime (FakeRealtimeOptions::on_client_event
// feeding an UpstreamClock), down by the browser.

#include <boost/asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calrt/net/http_client.hpp"
#include "calrt/net/websocket.hpp"
#include "latency_summary.hpp"

namespace calrt::bench {

// Transit times of the appends that reach the fake Realtime while recording is on.
class UpstreamClock {
  public:
    void on_client_event(const nlohmann::json& event);  // thread-safe
    void record(bool on) { recording_ = on; }
    std::vector<double> take();

  private:
    std::atomic<bool> recording_{false};
    std::mutex mutex_;
    std::vector<double> samples_ms_;
};

// Where the browsers connect: the relay, or the fake Realtime itself for the baseline.
struct SessionTarget {
    std::string url;
    net::HeaderList headers;         // Authorization for the fake Realtime
    std::string ready_event;         // the event after which a session counts as open
};

struct ForwardingResult {
    std::vector<double> up_ms;    // each append's transit, browser to fake Realtime
    std::vector<double> down_ms;  // each speech delta's transit, fake Realtime to browser
    std::size_t sessions_failed = 0;
    std::chrono::duration<double> measured{0};
};

// Opens `sessions` sessions to `target`, starts the fake's streamed speech in each (a bare
// response.create) and streams audio up from each at real time, each session's chunks and deltas
// at phases of the 100 ms period drawn at random (seeded by `sessions`, so every run and every
// target gets the same draws); measures for `duration` after a second of warm-up and closes them.
// `measuring` is called when the measured window starts and ends (true, false).
ForwardingResult stream_audio_sessions(boost::asio::io_context& io, const SessionTarget& target,
                                       std::size_t sessions, std::chrono::seconds duration,
                                       UpstreamClock& upstream,
                                       const std::function<void(bool)>& measuring);

// Opens `count` sessions to `target` (`parallel` connecting at a time) and keeps them open, idle,
// until the object dies; failed() counts the ones that did not open.
class IdleSessions {
  public:
    IdleSessions(boost::asio::io_context& io, const SessionTarget& target, std::size_t count,
                 std::size_t parallel = 50);
    ~IdleSessions();  // closes them
    std::size_t open() const { return sockets_.size(); }
    std::size_t failed() const { return failed_; }

  private:
    boost::asio::io_context& io_;
    std::vector<net::WebSocket> sockets_;
    std::size_t failed_ = 0;
};

}  // namespace calrt::bench
