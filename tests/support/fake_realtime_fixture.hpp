#pragma once
// The fake Realtime server on a loopback port with a plain WebSocket client (no RealtimeSession),
// for tests of the fake's own behaviour: what it sends for what a client sends.

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calrt/net/websocket_client.hpp"
#include "support/io_threads.hpp"
#include "support/realtime_events_reader.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"
#include "testing/fake_realtime/speech_stream.hpp"

namespace calrt::test {

class FakeRealtimeFixture : public ::testing::Test {
  protected:
    FakeRealtimeFixture() { fake.start(); }
    ~FakeRealtimeFixture() override { io.stop(); }

    // A connection with the fake's key, read up to its session.created.
    net::WebSocket connect() {
        net::HeaderList headers;
        headers.emplace_back("Authorization", "Bearer test-openai-key");
        auto connected = io.run(
            net::connect_websocket(io.io.get_executor(), fake.url() + "?model=gpt-realtime-2.1",
                                   std::move(headers), {}));
        if (!connected) throw std::runtime_error(connected.error().message);
        if (!read_until(*connected, "session.created"))
            throw std::runtime_error("no session.created");
        return std::move(*connected);
    }

    void send(net::WebSocket& socket, const nlohmann::json& event) {
        ASSERT_TRUE(io.run(socket.write(event.dump())));
    }

    // Reads events (into `log`) until one satisfies `done`.
    bool read_until(net::WebSocket& socket, const std::function<bool(const nlohmann::json&)>& done) {
        return read_events_until(io, socket, log, done);
    }
    bool read_until(net::WebSocket& socket, const std::string& type) {
        return read_until(socket, event_of_type(type));
    }

    // session.update {"type":"realtime", ...session}.
    void update_session(net::WebSocket& socket, nlohmann::json session) {
        session["type"] = "realtime";
        send(socket, {{"type", "session.update"}, {"session", std::move(session)}});
    }

    // `length` of audio in 100 ms input_audio_buffer.append events (the page's chunk size).
    void send_audio(net::WebSocket& socket, std::chrono::milliseconds length, bool speech) {
        using namespace std::chrono_literals;
        for (auto sent = 0ms; sent < length; sent += 100ms) {
            const auto chunk = std::min(100ms, length - sent);
            send(socket, {{"type", "input_audio_buffer.append"},
                          {"audio", speech ? calrt::testing::speech_pcm16_base64(chunk)
                                           : calrt::testing::silent_pcm16_base64(chunk)}});
        }
    }

    // A user's typed message and its response.create.
    void say(net::WebSocket& socket, const std::string& text) {
        send(socket, user_message(text));
        send(socket, {{"type", "response.create"}});
    }

    // The types of the events logged, in order.
    std::vector<std::string> types() const {
        std::vector<std::string> out;
        for (const auto& event : log.events) out.push_back(event.value("type", ""));
        return out;
    }

    // The last logged event of `type` (null when there is none).
    nlohmann::json last(const std::string& type) const {
        for (auto event = log.events.rbegin(); event != log.events.rend(); ++event) {
            if (event->value("type", "") == type) return *event;
        }
        return nullptr;
    }

    std::size_t count(const std::string& type) const {
        std::size_t n = 0;
        for (const auto& event : log.events) n += event.value("type", "") == type ? 1 : 0;
        return n;
    }

    IoThreads io;
    calrt::testing::FakeRealtime fake{io.io};
    EventLog log;
};

}  // namespace calrt::test
