#pragma once
// A TCP front for the fake's HTTP server, there when FakeCalendlyOptions::connection_faults is on:
// it passes each request to the server and each response back, except a response the fake marked
// with kDropConnectionHeader (FaultPlan::drop_after_processing), for which it closes the client's
// connection without answering, as a server or load balancer restarting at the wrong moment does
// after the work was done. The project's HTTP server always answers, so the drop happens in front.

#include <cstdint>
#include <memory>
#include <string_view>

namespace boost::asio {
class io_context;
}

namespace calrt::testing::fake {

inline constexpr std::string_view kDropConnectionHeader = "X-Fake-Calendly-Drop-Connection";

class ConnectionRelay {
  public:
    ConnectionRelay(boost::asio::io_context& io, std::uint16_t server_port);
    ~ConnectionRelay();
    ConnectionRelay(const ConnectionRelay&) = delete;
    ConnectionRelay& operator=(const ConnectionRelay&) = delete;

    // Listens on 127.0.0.1:0. Throws std::runtime_error when it cannot.
    void start();
    std::uint16_t port() const;

    struct State;

  private:
    std::shared_ptr<State> state_;
};

}  // namespace calrt::testing::fake
