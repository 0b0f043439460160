#pragma once
// The fake's streamed speech (FakeRealtimeOptions::streamed_speech): one spoken response whose
// audio arrives at real time, as the Realtime API sends a long answer, for the relay benchmark.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "calrt/net/websocket.hpp"

namespace calrt::testing {

// Sends response.created and the item's opening events, then one response.output_audio.delta of
// `chunk` (24 kHz PCM16 silence, base64) every `chunk`, paced by the clock rather than by the
// previous send, for `length`; then the closing events and response.done. Stops early once the
// connection is gone. Each delta's event_id is "event_speech<n>_t<steady_clock ns at sending>".
boost::asio::awaitable<void> stream_speech(std::weak_ptr<net::WebSocket> socket,
                                           std::string response_id, std::chrono::milliseconds length,
                                           std::chrono::milliseconds chunk);

// `length` of 24 kHz PCM16 mono silence in base64, as the API's deltas and the page's microphone
// chunks carry audio.
std::string silent_pcm16_base64(std::chrono::milliseconds length);

// `length` of something the fake's voice activity detection hears as speech: a 440 Hz tone at
// 30% of full scale, 24 kHz PCM16 mono in base64 (the fake cannot tell a tone from a voice; it
// measures energy, see voice_activity.hpp).
std::string speech_pcm16_base64(std::chrono::milliseconds length);

// The nanoseconds an event_id ending in "_t<ns>" carries (a streamed delta's, or a benchmark
// client's), or -1 when it has none.
long long event_sent_at_ns(std::string_view event_id);

}  // namespace calrt::testing
