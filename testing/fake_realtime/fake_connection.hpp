#pragma once
// One client of the fake Realtime server: the GA event protocol, from session.created until the
// WebSocket closes.

#include <boost/asio/awaitable.hpp>

#include "testing/fake_realtime/fake_realtime_state.hpp"

namespace calrt::testing {

boost::asio::awaitable<void> serve_fake_realtime_connection(
    std::shared_ptr<FakeRealtime::State> state, std::shared_ptr<net::WebSocket> socket,
    std::string model);

}  // namespace calrt::testing
