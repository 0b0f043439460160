#include "bench_service.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "support/free_port.hpp"
#include "support/http_test_client.hpp"
#include "support/running_server.hpp"

namespace calrt::bench {

ProcessUsage process_usage(int pid) {
    ProcessUsage usage;
    const std::string base = "/proc/" + std::to_string(pid);
    std::ifstream stat(base + "/stat");
    std::string line;
    std::getline(stat, line);
    // Fields after the command name (which may hold spaces, so start after its closing paren):
    // state is field 3; utime and stime are fields 14 and 15.
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int index = 3; fields >> field; ++index) {
        if (index == 14) utime = std::stoull(field);
        if (index == 15) {
            stime = std::stoull(field);
            break;
        }
    }
    usage.cpu = std::chrono::duration<double>(static_cast<double>(utime + stime) /
                                              static_cast<double>(::sysconf(_SC_CLK_TCK)));
    std::ifstream status(base + "/status");
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) usage.rss_bytes = std::stoull(line.substr(6)) * 1024;
    }
    // A process's status counts its main thread's switches only; each thread's are in task/*/status.
    std::error_code ignored;
    for (const auto& task : std::filesystem::directory_iterator(base + "/task", ignored)) {
        std::ifstream task_status(task.path() / "status");
        while (std::getline(task_status, line)) {
            for (std::string_view key : {"voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:"}) {
                if (line.rfind(key, 0) == 0) usage.context_switches += std::stoull(line.substr(key.size()));
            }
        }
    }
    return usage;
}

BenchService::BenchService(const BenchServiceOptions& options) : port_(test::free_port()) {
    const std::string many = "100000";
    const std::map<std::string, std::string> environment{
        {"PORT", std::to_string(port_)},
        {"DATA_DIR", (data_dir_.path() / "data").string()},
        // warn: an info line per session would fill the stderr pipe nobody reads meanwhile.
        {"LOG_LEVEL", "warn"},
        {"SERVER_THREADS", std::to_string(options.server_threads)},
        {"OPENAI_API_KEY", options.openai_key},
        {"OPENAI_REALTIME_URL", options.realtime_url},
        {"CALENDLY_API_KEY", options.calendly_token},
        {"CALENDLY_API_BASE_URL", options.calendly_url},
        {"MAX_CONNECTIONS", many},
        {"MAX_CONNECTIONS_PER_ADDRESS", many},
        {"REALTIME_MAX_SESSIONS", many},
        {"REALTIME_MAX_SESSIONS_PER_ADDRESS", many},
        {"REALTIME_CONNECTIONS_PER_MINUTE", "1000000"},
        {"REALTIME_RESPONSES_PER_MINUTE", many},
        {"REALTIME_RESPONSE_BURST", many},
        {"REALTIME_SESSION_MAX_RESPONSES", many},
        {"REALTIME_SESSION_MAX_MESSAGES", "100000000"},
        {"REALTIME_SESSION_MAX_AUDIO_SECONDS", "1000000"},
        // A run holds over 60 minutes of sessions from one address (1,000 idle ones, 200 streaming).
        {"REALTIME_DAILY_MINUTES_PER_ADDRESS", "0"},
        {"PUBLIC_READ_RATE_LIMIT_PER_MINUTE", "1000000000"},
        {"PUBLIC_READ_RATE_LIMIT_BURST", "1000000000"},
        {"DAILY_BOOKING_LIMIT", "1000000"},
        // One load driver books for every session from one address and a few emails.
        {"DAILY_BOOKINGS_PER_ADDRESS", "1000000"},
        {"DAILY_BOOKINGS_PER_EMAIL", "1000000"},
        {"DAILY_LINK_LIMIT", "1000000"},
    };
    process_ = std::make_unique<test::ChildProcess>(options.binary, std::vector<std::string>{},
                                                    environment, data_dir_.path().string());
    const bool ready = test::wait_until(
        [&] {
            try {
                return test::http_request(port_, "GET", "/readyz").result_int() == 200;
            } catch (const std::exception&) {
                return false;
            }
        },
        std::chrono::seconds(20));
    if (!ready) {
        throw std::runtime_error("the service did not become ready: " +
                                 process_->drain_stderr(std::chrono::seconds(1)));
    }
}

BenchService::~BenchService() {
    process_->terminate(std::chrono::seconds(15));
}

std::string BenchService::relay_url() const {
    return "ws://127.0.0.1:" + std::to_string(port_) + "/api/realtime";
}

ProcessUsage BenchService::usage() const { return process_usage(process_->pid()); }

}  // namespace calrt::bench
