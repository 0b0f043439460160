#pragma once
// The floor under the relay's forwarding latency: a process that only copies bytes between a
// browser's connection and one it opens to the fake Realtime, on as many threads (one io_context
// each) as the service has, with TCP_NODELAY. It parses nothing and decides nothing, so what the
// browsers measure through it is the cost of one more process on the path on this machine (its
// wake-ups, system calls and scheduling), which any relay pays before doing its own work.
//
// relay_bench runs itself as the forwarder: `relay_bench --tcp-forwarder LISTEN UPSTREAM THREADS`.

#include <cstdint>
#include <memory>
#include <string>

#include "support/child_process.hpp"

namespace calrt::bench {

// The forwarder's own main: serves 127.0.0.1:listen_port until SIGTERM. Returns the exit code.
int run_tcp_forwarder(std::uint16_t listen_port, std::uint16_t upstream_port, unsigned threads);

// Runs this program as a forwarder to 127.0.0.1:upstream_port; ready once constructed.
class TcpForwarderProcess {
  public:
    TcpForwarderProcess(std::uint16_t upstream_port, unsigned threads);
    ~TcpForwarderProcess();  // SIGTERM, then waits
    TcpForwarderProcess(const TcpForwarderProcess&) = delete;
    TcpForwarderProcess& operator=(const TcpForwarderProcess&) = delete;

    std::uint16_t port() const { return port_; }

  private:
    std::uint16_t port_ = 0;
    std::unique_ptr<test::ChildProcess> process_;
};

}  // namespace calrt::bench
