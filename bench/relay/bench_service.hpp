#pragma once
// The service binary, run as a child process against the benchmark's fake Calendly and fake
// Realtime with the per-address limits lifted (one load driver stands in for many browsers), and
// what the kernel says about its CPU time and memory.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace calrt::bench {

struct ProcessUsage {
    std::chrono::duration<double> cpu{0};  // user + system time so far
    std::size_t rss_bytes = 0;             // resident set now
    // Voluntary and involuntary, summed over the threads alive now (the service's live as long as it).
    std::uint64_t context_switches = 0;
};

// The calling process's, or another's by pid, from /proc.
ProcessUsage process_usage(int pid);

struct BenchServiceOptions {
    std::string binary;          // build/calendly-realtime
    std::string realtime_url;    // the fake Realtime's ws:// URL
    std::string openai_key;      // what the fake Realtime accepts
    std::string calendly_url;    // the fake Calendly's base URL
    std::string calendly_token;  // what the fake Calendly accepts
    unsigned server_threads = 2;
};

class BenchService {
  public:
    // Starts the service and waits until /readyz answers 200; throws std::runtime_error when it
    // does not within 20 s (with what it printed).
    explicit BenchService(const BenchServiceOptions& options);
    ~BenchService();  // SIGTERM, then waits

    std::uint16_t port() const { return port_; }
    std::string relay_url() const;  // ws://127.0.0.1:PORT/api/realtime
    ProcessUsage usage() const;

  private:
    test::TempDir data_dir_;
    std::uint16_t port_ = 0;
    std::unique_ptr<test::ChildProcess> process_;
};

}  // namespace calrt::bench
