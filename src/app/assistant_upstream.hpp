#pragma once
// Where the assistant's Realtime sessions go: OpenAI (OPENAI_REALTIME_URL, OPENAI_REALTIME_MODEL,
// OPENAI_API_KEY), or, without a key (or with --sandbox), the fake Realtime server's sandbox
// assistant in process on a loopback port, so the whole flow can be tried with no key. Shared by
// the service (the relay) and the terminal chat.

#include "calrt/core/config.hpp"
#include "calrt/realtime/realtime_session.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>

namespace calrt::app {

struct AssistantUpstream {
    // URL, model and key; the instructions are written per session.
    realtime::RealtimeSessionOptions options;
    // Running while it exists; null when OpenAI is used.
    std::unique_ptr<calrt::testing::FakeRealtime> sandbox;
};

// Starts the sandbox assistant when the configuration calls for it (and logs that it did).
AssistantUpstream assistant_upstream(boost::asio::io_context& io, const Config& config);

}  // namespace calrt::app
