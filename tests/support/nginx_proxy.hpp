#pragma once
// nginx from Debian in front of service replicas, configured with deploy/nginx/calendly-realtime.conf
// (the sample docs/operations.md shows) so that the sample is what the tests exercise. Runs in the
// foreground as a child process on a free port and stops with the object.

#include <cstdint>
#include <memory>
#include <vector>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace calrt::test {

class NginxProxy {
  public:
    // Throws std::runtime_error when nginx is missing or does not start.
    explicit NginxProxy(const std::vector<std::uint16_t>& replica_ports);
    ~NginxProxy();

    std::uint16_t port() const noexcept { return port_; }

  private:
    TempDir dir_;
    std::uint16_t port_ = 0;
    std::unique_ptr<ChildProcess> nginx_;
};

}  // namespace calrt::test
