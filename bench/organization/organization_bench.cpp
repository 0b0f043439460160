// Organization mode at scale (the scale section), measured (make bench): an organization of
// 500 members with 10 event types each on the fake Calendly, and a round robin "Sales demo" hosted
// by 20 of them. The service runs as its own process (its memory is its own); the fake and the
// clients run here.
//
//   organization_bench SERVICE_BINARY [--seconds S] [--members N] [--types-per-member T]
//                                     [--round-robin-hosts H] [--connections C]
//
// Prints one line per measurement:
//   BENCH organization_ready ready_ms=… readyz_ms=… target_ms=10000 hosts=… sales_demo_hosts=…
//         single_host_ready_ms=…
//   BENCH organization_startup_calls users_me=… organization_memberships=… event_types=…
//         event_type_memberships=… total=… needed=…
//   BENCH organization_sales_demo_availability cold_ms=… warm_ms=… calendly_calls=… expected_calls=1 …
//   BENCH organization_cached_reads hosts_rps=… host_event_types_rps=… event_types_rps=…
//         single_host_event_types_rps=… hosts_ratio=… target_ratio=0.90 …
//         (each read's requests/s, the service's CPU µs per request and the body's size)
//   BENCH organization_directory_memory rss_delta_mib=… in_process_mib=… target_mib=50 …
// "ready" is from spawning the service until GET /api/calendly?action=hosts first answers 200 with
// every host: that read waits for the directory's first load, which /readyz does not.

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/organization_directory.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/core/time.hpp"
#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/http_test_client.hpp"
#include "support/io_threads.hpp"
#include "support/temp_dir.hpp"
#include "testing/fake_calendly/fake_calendly.hpp"

namespace {

using namespace calrt;
using namespace std::chrono;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

constexpr double kReadyTargetMs = 10'000;
constexpr double kMemoryTargetMib = 50;
constexpr double kReadRatioTarget = 0.90;  // within 10% of the single-host cached read rate
constexpr double kMib = 1024.0 * 1024.0;

struct Arguments {
    std::string service;
    seconds duration{6};  // per read measured, over kRounds rounds
    std::size_t members = 500;
    std::size_t types_per_member = 10;
    std::size_t round_robin_hosts = 20;
    std::size_t connections = 16;
};

Arguments parse(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: organization_bench SERVICE_BINARY [--seconds S] [--members N] "
                     "[--types-per-member T] [--round-robin-hosts H] [--connections C]\n";
        std::exit(2);
    }
    Arguments out;
    out.service = std::filesystem::absolute(argv[1]).string();  // the service runs in a temp dir
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::size_t value = std::stoul(argv[i + 1]);
        if (flag == "--seconds") out.duration = seconds(value);
        else if (flag == "--members") out.members = value;
        else if (flag == "--types-per-member") out.types_per_member = value;
        else if (flag == "--round-robin-hosts") out.round_robin_hosts = value;
        else if (flag == "--connections") out.connections = std::max<std::size_t>(value, 1);
        else {
            std::cerr << "unknown flag " << flag << "\n";
            std::exit(2);
        }
    }
    return out;
}

double ms(steady_clock::duration d) { return duration<double, std::milli>(d).count(); }

std::size_t rss_bytes(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
    }
    return 0;
}

// User + system CPU seconds the process has used so far (/proc/PID/stat fields 14 and 15, counted
// after the command name, which may hold spaces).
double cpu_seconds(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    unsigned long long ticks = 0;
    for (int index = 3; fields >> field && index <= 15; ++index) {
        if (index >= 14) ticks += std::stoull(field);
    }
    return static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Bytes malloc has handed out and not had back, in every arena and in mmapped chunks.
std::size_t heap_in_use() {
    const auto info = ::mallinfo2();
    return info.uordblks + info.hblkhd;
}

std::string uuid_of(const std::string& uri) { return uri.substr(uri.rfind('/') + 1); }

// The service binary as a child process against the fake, with the per-address limits lifted
// (one load driver stands in for many browsers). Started by the constructor, which returns at
// once: the caller times how long it takes to serve.
class ServiceProcess {
  public:
    ServiceProcess(const std::string& binary, const testing::FakeCalendly& calendly, std::string scope)
        : port_(test::free_port()) {
        const std::string many = "1000000000";
        const std::map<std::string, std::string> environment{
            {"PORT", std::to_string(port_)},
            {"DATA_DIR", (data_dir_.path() / "data").string()},
            // warn: an access line per request would fill the stderr pipe nobody reads meanwhile.
            {"LOG_LEVEL", "warn"},
            {"SERVER_THREADS", "2"},
            {"CALENDLY_API_KEY", calendly.access_token()},
            {"CALENDLY_API_BASE_URL", calendly.base_url()},
            {"CALENDLY_SCOPE", std::move(scope)},
            {"MAX_CONNECTIONS", "100000"},
            {"MAX_CONNECTIONS_PER_ADDRESS", "100000"},
            {"PUBLIC_READ_RATE_LIMIT_PER_MINUTE", many},
            {"PUBLIC_READ_RATE_LIMIT_BURST", many},
        };
        started_ = steady_clock::now();
        process_ = std::make_unique<test::ChildProcess>(binary, std::vector<std::string>{}, environment,
                                                        data_dir_.path().string());
    }
    ~ServiceProcess() { process_->terminate(seconds(15)); }
    ServiceProcess(const ServiceProcess&) = delete;
    ServiceProcess& operator=(const ServiceProcess&) = delete;

    std::uint16_t port() const { return port_; }
    steady_clock::time_point started() const { return started_; }
    std::size_t rss() const { return rss_bytes(process_->pid()); }
    double cpu() const { return cpu_seconds(process_->pid()); }
    std::string output() { return process_->drain_stderr(seconds(1)); }

  private:
    test::TempDir data_dir_;  // destroyed after the process has ended
    std::uint16_t port_ = 0;
    steady_clock::time_point started_;
    std::unique_ptr<test::ChildProcess> process_;
};

// One GET on a fresh connection; nullopt while the service is not listening yet. The timeout is
// long: the first directory read waits for the directory's load.
std::optional<test::HttpResponse> try_get(std::uint16_t port, const std::string& target) {
    try {
        test::HttpTestClient client(port, seconds(30));
        return client.request("GET", target);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

test::HttpResponse get(std::uint16_t port, const std::string& target) {
    auto response = try_get(port, target);
    if (!response) throw std::runtime_error("no answer to GET " + target);
    return std::move(*response);
}

struct Startup {
    double readyz_ms = 0;  // /readyz first answered 200
    double ready_ms = 0;   // ?action=hosts first answered 200 with every host
    json hosts;
};

// Polls (2 ms apart, as test::wait_until does) until /readyz answers 200, then until ?action=hosts
// lists `expected_hosts` hosts; throws after 60 s.
Startup wait_until_serving(ServiceProcess& service, std::size_t expected_hosts) {
    Startup startup;
    const auto deadline = service.started() + seconds(60);
    const auto poll = [&](const std::string& target, const auto& done) {
        for (;;) {
            if (steady_clock::now() > deadline) {
                throw std::runtime_error("the service did not answer " + target + " in time: " + service.output());
            }
            if (auto response = try_get(service.port(), target); response && done(*response)) return;
            std::this_thread::sleep_for(milliseconds(2));
        }
    };
    poll("/readyz", [](const test::HttpResponse& r) { return r.result_int() == 200; });
    startup.readyz_ms = ms(steady_clock::now() - service.started());
    poll("/api/calendly?action=hosts", [&](const test::HttpResponse& r) {
        if (r.result_int() != 200) return false;
        auto body = json::parse(r.body(), nullptr, false);
        if (!body.contains("hosts") || body["hosts"].size() < expected_hosts) return false;
        startup.hosts = std::move(body);
        return true;
    });
    startup.ready_ms = ms(steady_clock::now() - service.started());
    return startup;
}

// ---- Cached reads under load: keep-alive connections, each sending its next GET when the last
// answer is in, for a while.

struct ReadCount {
    std::size_t ok = 0;
    std::size_t failed = 0;  // non-200 answers and broken connections
    std::size_t bytes = 0;   // of the last 200 body
};

asio::awaitable<ReadCount> read_repeatedly(std::uint16_t port, std::string target,
                                           steady_clock::time_point until) {
    constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
    ReadCount count;
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    const asio::ip::tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
    auto [connect_error] = co_await stream.async_connect(endpoint, kAsTuple);
    if (connect_error) {
        ++count.failed;
        co_return count;
    }
    stream.socket().set_option(asio::ip::tcp::no_delay(true));
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.keep_alive(true);
    beast::flat_buffer buffer;
    while (steady_clock::now() < until) {
        stream.expires_after(seconds(10));
        auto [write_error, written] = co_await http::async_write(stream, request, kAsTuple);
        if (write_error) {
            ++count.failed;
            break;
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        auto [read_error, read] = co_await http::async_read(stream, buffer, parser, kAsTuple);
        if (read_error) {
            ++count.failed;
            break;
        }
        if (parser.get().result_int() != 200) {
            ++count.failed;
            continue;
        }
        ++count.ok;
        count.bytes = parser.get().body().size();
    }
    co_return count;
}

struct ReadRate {
    std::size_t ok = 0;
    std::size_t failed = 0;
    std::size_t body_bytes = 0;
    double seconds = 0;
    double service_cpu = 0;  // the service's CPU seconds while measured
    double cpu_us_per_request() const { return ok > 0 ? 1e6 * service_cpu / static_cast<double>(ok) : 0; }
    double rps() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
};

void read_for(test::IoThreads& client, const ServiceProcess& service, const std::string& target,
              std::size_t connections, milliseconds length, ReadRate& rate) {
    const std::uint16_t port = service.port();
    const double cpu_before = service.cpu();
    const auto started = steady_clock::now();
    const auto until = started + length;
    std::vector<std::future<ReadCount>> running;
    for (std::size_t i = 0; i < connections; ++i) running.push_back(client.spawn(read_repeatedly(port, target, until)));
    for (auto& one : running) {
        const auto count = one.get();
        rate.ok += count.ok;
        rate.failed += count.failed;
        rate.body_bytes = std::max(rate.body_bytes, count.bytes);
    }
    rate.seconds += duration<double>(steady_clock::now() - started).count();
    rate.service_cpu += service.cpu() - cpu_before;
}

// ---- The directory's retained size, in this process: the service's own classes, loaded from the
// same fake, with malloc's count of bytes in use before and after (the client and its caches
// gone, only the snapshot kept).

struct InProcessDirectory {
    double mib = 0;
    std::size_t hosts = 0;
    std::size_t event_types = 0;
};

InProcessDirectory measure_directory_in_process(testing::FakeCalendly& calendly) {
    std::shared_ptr<const calendly::Directory> snapshot;
    const std::size_t before = heap_in_use();
    {
        test::IoThreads loop(1);
        MetricsRegistry metrics;
        SystemClock clock;
        calendly::CalendlyClientOptions options;
        options.base_url = calendly.base_url();
        options.access_token = Secret(calendly.access_token());
        auto client = std::make_unique<calendly::CalendlyClient>(loop.io.get_executor(), options, metrics, clock);
        auto directory = std::make_shared<calendly::OrganizationDirectory>(
            *client, loop.io.get_executor(), calendly::OrganizationDirectoryOptions{}, metrics);
        auto loaded = loop.run(directory->current());
        if (!loaded) throw std::runtime_error("in-process directory: " + loaded.error().message);
        snapshot = *loaded;
        loop.stop();
        directory.reset();
        client.reset();
    }
    const std::size_t after = heap_in_use();
    return {(static_cast<double>(after) - static_cast<double>(before)) / kMib, snapshot->hosts.size(),
            snapshot->event_types.size()};
}

std::size_t hosts_of(const json& hosts_body, const std::string& type_uri) {
    std::size_t count = 0;
    for (const auto& host : hosts_body["hosts"]) {
        const auto& types = host["event_types"];
        if (std::find(types.begin(), types.end(), type_uri) != types.end()) ++count;
    }
    return count;
}

std::size_t pages(std::size_t items, std::size_t page_size) { return (items + page_size - 1) / page_size; }

}  // namespace

int main(int argc, char** argv) try {
    const Arguments arguments = parse(argc, argv);
    log::configure("warn", "text");  // the fake's request lines would drown the results

    test::IoThreads fake_thread(1);
    testing::FakeCalendlyOptions calendly_options;
    calendly_options.generated_members = arguments.members;
    calendly_options.event_types_per_generated_member = arguments.types_per_member;
    calendly_options.round_robin_hosts = arguments.round_robin_hosts;
    testing::FakeCalendly calendly(fake_thread.io, calendly_options);
    calendly.start();
    // On every exit, the fake's thread stops before the fake goes (it must not outlive the fake's
    // work), after the services (declared below) have ended.
    const struct StopFirst {
        test::IoThreads& thread;
        ~StopFirst() { thread.stop(); }
    } stop_fake_thread{fake_thread};
    const std::string sales_demo = calendly.team_event_type_uri("sales-demo");
    // The generated members and the token's user, who hosts its own types.
    const std::size_t members = arguments.members + 1;

    // Organization mode: spawn → /readyz → every host listed.
    calendly.reset_counts();
    ServiceProcess organization(arguments.service, calendly, "organization");
    const Startup started = wait_until_serving(organization, members);
    const std::size_t calls_users_me = calendly.request_count("/users/me");
    const std::size_t calls_memberships = calendly.request_count("/organization_memberships");
    const std::size_t calls_event_types = calendly.request_count("/event_types");
    const std::size_t calls_type_hosts = calendly.request_count("/event_type_memberships");
    const std::size_t calls_total = calendly.request_count();
    const std::size_t listed_hosts = started.hosts["hosts"].size();
    const std::size_t sales_demo_hosts = hosts_of(started.hosts, sales_demo);
    const std::size_t hosts_body_bytes = started.hosts.dump().size();

    // The same reads on a single-host service, for the memory and read rate to compare with.
    calendly.reset_counts();
    ServiceProcess single_host(arguments.service, calendly, "user");
    const Startup single_started = wait_until_serving(single_host, 1);
    const std::size_t single_calls_total = calendly.request_count();
    for (auto* service : {&organization, &single_host}) {
        get(service->port(), "/api/calendly?action=hosts");
        get(service->port(), "/api/calendly?action=event-types");
    }
    const std::size_t organization_rss = organization.rss();
    const std::size_t single_host_rss = single_host.rss();

    std::printf("BENCH organization_ready ready_ms=%.0f readyz_ms=%.0f target_ms=%.0f hosts=%zu members=%zu "
                "sales_demo_hosts=%zu hosts_body_kib=%.0f single_host_ready_ms=%.0f single_host_readyz_ms=%.0f\n",
                started.ready_ms, started.readyz_ms, kReadyTargetMs, listed_hosts, members, sales_demo_hosts,
                static_cast<double>(hosts_body_bytes) / 1024.0, single_started.ready_ms, single_started.readyz_ms);
    // What a load needs at Calendly's 100 a page: who the token is, every page of the members and
    // of the organization's types (the generated ones, the token user's 5 active and 1 inactive,
    // the round robin), and one host list per team type.
    const std::size_t organization_types = arguments.members * arguments.types_per_member + 6 + 1;
    const std::size_t needed = 1 + pages(members, 100) + pages(organization_types, 100) + 1;
    std::printf("BENCH organization_startup_calls users_me=%zu organization_memberships=%zu event_types=%zu "
                "event_type_memberships=%zu total=%zu needed=%zu single_host_total=%zu\n",
                calls_users_me, calls_memberships, calls_event_types, calls_type_hosts, calls_total, needed,
                single_calls_total);
    std::fflush(stdout);

    // "Who is free for a sales demo this week?": the round robin's pooled times, which Calendly
    // computes over its hosts itself: one GET /event_type_available_times, none per host.
    const Timestamp now = time_point_cast<milliseconds>(system_clock::now());
    const std::string question = "/api/calendly?action=availability&event_type=" + uuid_of(sales_demo) +
                                 "&start_time=" + format_calendly_time(now + hours(1)) +
                                 "&end_time=" + format_calendly_time(now + days(7));
    calendly.reset_counts();
    auto asked = steady_clock::now();
    const auto cold = get(organization.port(), question);
    const double cold_ms = ms(steady_clock::now() - asked);
    const std::size_t question_calls = calendly.request_count();
    const std::size_t question_availability_calls = calendly.request_count("/event_type_available_times");
    asked = steady_clock::now();
    const auto warm = get(organization.port(), question);
    const double warm_ms = ms(steady_clock::now() - asked);
    const std::size_t warm_calls = calendly.request_count() - question_calls;
    const auto slots = json::parse(cold.body(), nullptr, false);
    const std::size_t slot_count = slots.contains("available_times") ? slots["available_times"].size() : 0;
    if (cold.result_int() != 200 || warm.result_int() != 200) {
        throw std::runtime_error("the sales demo's availability: " + std::to_string(cold.result_int()) + " " +
                                 cold.body());
    }
    std::printf("BENCH organization_sales_demo_availability cold_ms=%.1f warm_ms=%.1f calendly_calls=%zu "
                "event_type_available_times=%zu expected_calls=1 warm_calendly_calls=%zu slots=%zu\n",
                cold_ms, warm_ms, question_calls, question_availability_calls, warm_calls, slot_count);
    std::fflush(stdout);

    // Cached reads: the directory (hosts), a host's types from the directory, the token user's types
    // on both services. They take turns, kRounds rounds each, so that the machine's swings fall on
    // all of them alike.
    constexpr int kRounds = 3;
    struct Read {
        const char* name;
        const ServiceProcess* service;
        std::string target;
        ReadRate rate{};
    };
    std::vector<Read> reads{
        {"hosts", &organization, "/api/calendly?action=hosts"},
        {"host_event_types", &organization, "/api/calendly?action=event-types&host=member-0001"},
        {"event_types", &organization, "/api/calendly?action=event-types"},
        {"single_host_event_types", &single_host, "/api/calendly?action=event-types"},
    };
    const auto round_length = duration_cast<milliseconds>(arguments.duration) / kRounds;
    {
        test::IoThreads client(1);
        for (int round = 0; round < kRounds; ++round) {
            for (auto& read : reads) read_for(client, *read.service, read.target, arguments.connections, round_length, read.rate);
        }
    }
    const double baseline = reads[3].rate.rps();
    std::printf("BENCH organization_cached_reads connections=%zu rounds=%d", arguments.connections, kRounds);
    for (const auto& read : reads) {
        std::printf(" %s_rps=%.0f %s_cpu_us_per_request=%.1f %s_body_kib=%.1f", read.name, read.rate.rps(),
                    read.name, read.rate.cpu_us_per_request(), read.name,
                    static_cast<double>(read.rate.body_bytes) / 1024.0);
    }
    std::size_t failed = 0;
    for (const auto& read : reads) failed += read.rate.failed;
    std::printf(" hosts_ratio=%.3f host_event_types_ratio=%.3f event_types_ratio=%.3f target_ratio=%.2f failed=%zu\n",
                reads[0].rate.rps() / baseline, reads[1].rate.rps() / baseline, reads[2].rate.rps() / baseline,
                kReadRatioTarget, failed);
    std::fflush(stdout);

    const auto in_process = measure_directory_in_process(calendly);
    std::printf("BENCH organization_directory_memory rss_delta_mib=%.1f in_process_mib=%.1f target_mib=%.0f "
                "organization_rss_mib=%.1f single_host_rss_mib=%.1f in_process_hosts=%zu in_process_event_types=%zu\n",
                (static_cast<double>(organization_rss) - static_cast<double>(single_host_rss)) / kMib, in_process.mib,
                kMemoryTargetMib, static_cast<double>(organization_rss) / kMib,
                static_cast<double>(single_host_rss) / kMib, in_process.hosts, in_process.event_types);
    std::fflush(stdout);

    calendly.stop();
    fake_thread.stop();
    return 0;
} catch (const std::exception& failure) {
    std::fprintf(stderr, "organization_bench: %s\n", failure.what());
    return 1;
}
