#pragma once
// One client of the fake Realtime server: the GA event protocol, from session.created until the
// WebSocket closes. With a `call_id` it is that SIP call's sideband (fake_sideband.hpp): its
// session is the one the call was accepted with, and the fake's caller speaks on it.

#include <boost/asio/awaitable.hpp>

#include "testing/fake_realtime/fake_realtime_state.hpp"

namespace calrt::testing {

boost::asio::awaitable<void> serve_fake_realtime_connection(
    std::shared_ptr<FakeRealtime::State> state, std::shared_ptr<net::WebSocket> socket,
    std::string model, std::string call_id = {});

}  // namespace calrt::testing
