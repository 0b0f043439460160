// The voice path, measured (make bench): the relay's forwarding overhead at N sessions streaming
// audio both ways, the memory of idle sessions, tool round trips with an instant and a realistic
// Calendly, and session start with an instant and a far-away Realtime API. The service runs as its
// own process (its CPU and memory are its own); the fakes and the browsers run here.
//
//   relay_bench SERVICE_BINARY [--seconds S] [--sessions 1,50,200] [--idle N] [--rounds R]
//                              [--starts K] [--server-threads T]
//
// Prints one line per measurement:
//   BENCH relay_forwarding sessions=N up_p50_ms=… up_p99_ms=… up_max_ms=… down_…  cpu_pct=… rss_mib=…
//         cpu_us_per_event=… context_switches_per_event=…
//         direct_up_p50_ms=… direct_up_p99_ms=… direct_down_p50_ms=… direct_down_p99_ms=…
//         floor_up_p50_ms=… floor_up_p99_ms=… floor_down_p50_ms=… floor_down_p99_ms=…
//   BENCH relay_idle_sessions sessions=N rss_per_session_kib=…
//   BENCH tool_round_trip tool=… calendly_latency_ms=… first_ms=… p50_ms=… max_ms=… …
//   BENCH session_start upstream_latency_ms=… p50_ms=… p99_ms=… max_ms=…
// "direct_…" is the same load sent straight to the fake Realtime: what the relay adds is the
// difference. "floor_…" is the same load through a process that only copies bytes
// (tcp_forwarder.hpp): the least that one more process on the path costs on this machine.

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "assistant_turns.hpp"
#include "calrt/core/logging.hpp"
#include "support/io_threads.hpp"
#include "bench_service.hpp"
#include "browser_load.hpp"
#include "tcp_forwarder.hpp"

namespace {

using namespace calrt;
using namespace std::chrono;

constexpr const char* kOpenAiKey = "bench-openai-key";

struct Arguments {
    std::string service;
    seconds duration{8};
    std::vector<std::size_t> sessions{1, 50, 200};
    std::size_t idle = 1000;
    std::size_t rounds = 10;
    std::size_t starts = 20;
    unsigned server_threads = 2;
};

Arguments parse(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: relay_bench SERVICE_BINARY [--seconds S] [--sessions 1,50,200] "
                     "[--idle N] [--rounds R] [--starts K]\n";
        std::exit(2);
    }
    Arguments out;
    out.service = std::filesystem::absolute(argv[1]).string();  // the service runs in a temp dir
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::string value = argv[i + 1];
        if (flag == "--seconds") out.duration = seconds(std::stoul(value));
        else if (flag == "--idle") out.idle = std::stoul(value);
        else if (flag == "--rounds") out.rounds = std::stoul(value);
        else if (flag == "--starts") out.starts = std::stoul(value);
        else if (flag == "--server-threads") out.server_threads = static_cast<unsigned>(std::stoul(value));
        else if (flag == "--sessions") {
            out.sessions.clear();
            std::istringstream list(value);
            for (std::string item; std::getline(list, item, ',');) out.sessions.push_back(std::stoul(item));
        } else {
            std::cerr << "unknown flag " << flag << "\n";
            std::exit(2);
        }
    }
    return out;
}

// Each session holds two sockets in the service and two here.
void allow_many_sockets() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}


void print_summary(const char* prefix, const bench::LatencySummary& s, bool with_max = true) {
    std::printf(" %sp50_ms=%.3f %sp99_ms=%.3f", prefix, s.p50_ms, prefix, s.p99_ms);
    if (with_max) std::printf(" %smax_ms=%.3f", prefix, s.max_ms);
}

void measure_idle_memory(test::IoThreads& threads, const bench::BenchService& service, std::size_t count) {
    const bench::SessionTarget relay{service.relay_url(), {}, "session.updated"};
    {   // the first sessions allocate what every later one reuses (pools, caches, the heap's arenas)
        bench::IdleSessions warm(threads.io, relay, 20);
    }
    std::this_thread::sleep_for(milliseconds(500));
    const auto before = service.usage();
    bench::IdleSessions idle(threads.io, relay, count);
    std::this_thread::sleep_for(seconds(1));  // the last upstream sessions settle
    const auto after = service.usage();
    const double per_session_kib =
        (static_cast<double>(after.rss_bytes) - static_cast<double>(before.rss_bytes)) / 1024.0 /
        static_cast<double>(std::max<std::size_t>(idle.open(), 1));
    std::printf("BENCH relay_idle_sessions sessions=%zu failed=%zu rss_per_session_kib=%.1f rss_mib=%.1f\n",
                idle.open(), idle.failed(), per_session_kib,
                static_cast<double>(after.rss_bytes) / (1024.0 * 1024.0));
    std::fflush(stdout);
}

// The relay, the fake alone and the byte-copying forwarder take turns, `kRounds` rounds of a third
// of the duration each, and each one's samples are pooled over its rounds: this machine's swings
// (its neighbours, the hypervisor) then fall on all three alike rather than on whichever ran
// during one.
constexpr int kRounds = 3;

struct PooledForwarding {
    std::vector<double> up_ms, down_ms;
    std::size_t failed = 0;
    void add(bench::ForwardingResult&& round) {
        up_ms.insert(up_ms.end(), round.up_ms.begin(), round.up_ms.end());
        down_ms.insert(down_ms.end(), round.down_ms.begin(), round.down_ms.end());
        failed += round.sessions_failed;
    }
};

void measure_forwarding(test::IoThreads& threads, const bench::BenchService& service,
                        testing::FakeRealtime& realtime, const bench::TcpForwarderProcess& forwarder,
                        bench::UpstreamClock& upstream, std::size_t sessions, seconds duration) {
    const bench::SessionTarget relay{service.relay_url(), {}, "session.updated"};
    const net::HeaderList authorization{{"Authorization", std::string("Bearer ") + kOpenAiKey}};
    const bench::SessionTarget direct{realtime.url(), authorization, "session.created"};
    std::string through_forwarder_url = realtime.url();
    const std::string fake_port = ":" + std::to_string(realtime.port());
    through_forwarder_url.replace(through_forwarder_url.find(fake_port), fake_port.size(),
                                  ":" + std::to_string(forwarder.port()));
    const bench::SessionTarget floor{through_forwarder_url, authorization, "session.created"};
    const seconds round_length = std::max(seconds(1), (duration + seconds(kRounds - 1)) / kRounds);

    PooledForwarding through_relay, baseline, least;
    std::chrono::duration<double> relay_cpu{0}, relay_measured{0};
    std::uint64_t relay_switches = 0;
    std::size_t rss_bytes = 0;
    for (int round = 0; round < kRounds; ++round) {
        bench::ProcessUsage at_start, at_end;
        auto relayed = bench::stream_audio_sessions(
            threads.io, relay, sessions, round_length, upstream,
            [&](bool starting) { (starting ? at_start : at_end) = service.usage(); });
        relay_cpu += at_end.cpu - at_start.cpu;
        relay_switches += at_end.context_switches - at_start.context_switches;
        relay_measured += relayed.measured;
        rss_bytes = std::max(rss_bytes, at_end.rss_bytes);
        through_relay.add(std::move(relayed));
        baseline.add(bench::stream_audio_sessions(threads.io, direct, sessions, round_length, upstream,
                                                  [](bool) {}));
        least.add(bench::stream_audio_sessions(threads.io, floor, sessions, round_length, upstream,
                                               [](bool) {}));
    }
    const auto up = bench::summarize(through_relay.up_ms);
    const auto down = bench::summarize(through_relay.down_ms);
    const auto direct_up = bench::summarize(baseline.up_ms);
    const auto direct_down = bench::summarize(baseline.down_ms);
    std::printf("BENCH relay_forwarding sessions=%zu", sessions);
    print_summary("up_", up);
    print_summary("down_", down);
    // What the relay adds: how far its percentile lies past the same percentile straight to the
    // fake. Events are not paired, so this is the shift of the distribution, not a per-event sum.
    std::printf(" added_up_p50_ms=%.3f added_up_p99_ms=%.3f added_down_p50_ms=%.3f added_down_p99_ms=%.3f",
                up.p50_ms - direct_up.p50_ms, up.p99_ms - direct_up.p99_ms,
                down.p50_ms - direct_down.p50_ms, down.p99_ms - direct_down.p99_ms);
    std::printf(" cpu_pct=%.1f rss_mib=%.1f", 100.0 * relay_cpu.count() / relay_measured.count(),
                static_cast<double>(rss_bytes) / (1024.0 * 1024.0));
    // The service's cost of one forwarded event, either way, over the same measured windows: what
    // the tail depends on once the machine is busy, and what the cached reads' cost line measures
    // for a request.
    const double events = static_cast<double>(std::max<std::size_t>(1, up.count + down.count));
    std::printf(" cpu_us_per_event=%.2f context_switches_per_event=%.3f", 1e6 * relay_cpu.count() / events,
                static_cast<double>(relay_switches) / events);
    print_summary("direct_up_", direct_up, false);
    print_summary("direct_down_", direct_down, false);
    print_summary("floor_up_", bench::summarize(least.up_ms), false);
    print_summary("floor_down_", bench::summarize(least.down_ms), false);
    std::printf(" rounds=%d events_up=%zu events_down=%zu failed=%zu\n", kRounds, up.count, down.count,
                through_relay.failed + baseline.failed + least.failed);
    std::fflush(stdout);
}

void measure_session_start(test::IoThreads& threads, const bench::BenchService& service,
                           testing::FakeRealtime& realtime, milliseconds latency, std::size_t count) {
    realtime.set_latency(latency);
    const auto starts = bench::time_session_starts(threads.io, service.relay_url(), count);
    realtime.set_latency(milliseconds(0));
    std::printf("BENCH session_start upstream_latency_ms=%lld", static_cast<long long>(latency.count()));
    print_summary("", starts);
    std::printf(" sessions=%zu\n", starts.count);
    std::fflush(stdout);
}

void measure_tools(test::IoThreads& threads, const bench::BenchServiceOptions& options,
                   testing::FakeRealtime& realtime, testing::FakeCalendly& calendly,
                   milliseconds latency, std::size_t rounds) {
    calendly.clear_faults();
    if (latency.count() > 0) {
        calendly.inject("/", testing::FaultPlan::delayed(latency, 100'000'000));
    }
    const bench::BenchService service(options);  // fresh: its caches are cold
    const auto timings = bench::time_tool_turns(threads.io, service.relay_url(), realtime, calendly, rounds);
    calendly.clear_faults();
    for (const auto& timing : timings) {
        std::printf("BENCH tool_round_trip tool=%s calendly_latency_ms=%lld first_ms=%.1f",
                    timing.tool.c_str(), static_cast<long long>(latency.count()), timing.first_ms);
        print_summary("", timing.took);
        std::printf(" calls=%zu calendly_requests=%zu calendly_max_concurrent=%zu\n", timing.took.count,
                    timing.calendly_requests, timing.calendly_max_concurrent);
    }
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc == 5 && std::string_view(argv[1]) == "--tcp-forwarder") {
        return bench::run_tcp_forwarder(static_cast<std::uint16_t>(std::stoul(argv[2])),
                                        static_cast<std::uint16_t>(std::stoul(argv[3])),
                                        static_cast<unsigned>(std::stoul(argv[4])));
    }
    const Arguments arguments = parse(argc, argv);
    allow_many_sockets();
    log::configure("warn", "text");  // the fakes' request lines would drown the results
    test::IoThreads threads(2);
    bench::UpstreamClock upstream;
    testing::FakeRealtime realtime(
        threads.io, testing::FakeRealtimeOptions{
                        .api_key = kOpenAiKey,
                        .streamed_speech = minutes(30),
                        .on_client_event = [&upstream](const nlohmann::json& event) {
                            upstream.on_client_event(event);
                        }});
    realtime.start();
    // The enterprise plan's POST /invitees limit (500 a minute): the tool rounds book more than a
    // standard plan's 10 a minute, and what is measured is the relay, not Calendly's refusals.
    testing::FakeCalendlyOptions calendly_options;
    calendly_options.plan = testing::FakePlan::enterprise;
    testing::FakeCalendly calendly(threads.io, calendly_options);
    calendly.start();
    const bench::BenchServiceOptions options{arguments.service, realtime.url(), kOpenAiKey,
                                             calendly.base_url(), calendly.access_token(),
                                             arguments.server_threads};
    {
        const bench::BenchService service(options);
        const bench::TcpForwarderProcess forwarder(realtime.port(), arguments.server_threads);
        if (arguments.idle > 0) measure_idle_memory(threads, service, arguments.idle);
        for (const auto sessions : arguments.sessions) {
            measure_forwarding(threads, service, realtime, forwarder, upstream, sessions,
                               arguments.duration);
        }
        for (const auto latency : {milliseconds(0), milliseconds(150)}) {
            if (arguments.starts > 0) measure_session_start(threads, service, realtime, latency, arguments.starts);
        }
    }
    for (const auto latency : {milliseconds(0), milliseconds(150)}) {
        if (arguments.rounds > 0) measure_tools(threads, options, realtime, calendly, latency, arguments.rounds);
    }
    realtime.stop();
    calendly.stop();
    return 0;
} catch (const std::exception& failure) {
    std::fprintf(stderr, "relay_bench: %s\n", failure.what());
    return 1;
}
