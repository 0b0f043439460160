#include "support/postgres_cluster.hpp"
#include "support/free_port.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace calrt::test {
namespace {

namespace fs = std::filesystem;

// Debian installs the server programs outside PATH, under /usr/lib/postgresql/<major>/bin.
fs::path postgres_bin(std::string_view program) {
    if (const char* dir = std::getenv("CALRT_POSTGRES_BIN")) return fs::path(dir) / program;
    fs::path best;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const fs::path candidate = entry.path() / "bin" / program;
        if (fs::exists(candidate) && (best.empty() || candidate > best)) best = candidate;
    }
    if (best.empty()) {
        throw std::runtime_error(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/" + std::string(program) +
            "): run scripts/install-deps.sh, which installs postgresql-15");
    }
    return best;
}

// Root may not run PostgreSQL; the postgresql package's `postgres` user may.
const passwd* server_user() {
    if (::geteuid() != 0) return nullptr;
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) {
        throw std::runtime_error("tests run as root but there is no `postgres` user to run "
                                 "PostgreSQL as (install postgresql-15)");
    }
    return user;
}

// Runs `args`, as the server user when `as_server_user`, with stdout and stderr to `output`.
// Everything the child needs is prepared before fork(): the test's other threads (a store's
// listener, say) may hold the allocator's lock at that moment, and a child that allocates would
// then wait for it forever (CI saw a restart test hang so).
int run(const std::vector<std::string>& args, bool as_server_user, const fs::path& output) {
    const passwd* user = as_server_user ? server_user() : nullptr;
    const uid_t uid = user != nullptr ? user->pw_uid : 0;
    const gid_t gid = user != nullptr ? user->pw_gid : 0;
    std::vector<char*> argv;
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    const std::string output_path = output.string();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {  // only async-signal-safe calls from here on
        const int fd = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            ::dup2(fd, STDOUT_FILENO);
            ::dup2(fd, STDERR_FILENO);
        }
        if (user != nullptr && (::setgid(gid) != 0 || ::setuid(uid) != 0)) ::_exit(126);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool start_with_pg_ctl(const fs::path& directory, std::uint16_t port, bool durable) {
    std::string server_options = "-p " + std::to_string(port) +
                                 " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                                 " -c max_connections=200";
    if (!durable) server_options += " -c fsync=off -c full_page_writes=off";
    return run({postgres_bin("pg_ctl").string(), "start", "-w", "-t", "60", "-D",
                (directory / "data").string(), "-l", (directory / "server.log").string(), "-o",
                server_options},
               true, directory / "pg_ctl.log") == 0;
}

}  // namespace

PostgresCluster::PostgresCluster(fs::path directory, std::uint16_t port, bool owned)
    : directory_(std::move(directory)), port_(port), owned_(owned), running_(true) {}

std::unique_ptr<PostgresCluster> PostgresCluster::start(const fs::path& directory,
                                                        Options options) {
    fs::create_directories(directory);
    if (const passwd* user = server_user()) {
        if (::chown(directory.c_str(), user->pw_uid, user->pw_gid) != 0) {
            throw std::runtime_error("cannot hand " + directory.string() + " to the postgres user");
        }
    }
    std::vector<std::string> initdb = {postgres_bin("initdb").string(), "-D",
                                       (directory / "data").string(), "-U", "calrt", "-A", "trust",
                                       "-E", "UTF8", "--no-instructions"};
    if (!options.durable) initdb.push_back("--no-sync");
    if (run(initdb, true, directory / "initdb.log") != 0) {
        throw std::runtime_error("initdb failed: " + read_file(directory / "initdb.log"));
    }
    // Another process may take the port between free_port() and the server's bind: try again.
    for (int attempt = 0; attempt < 5; ++attempt) {
        const std::uint16_t port = free_port();
        if (start_with_pg_ctl(directory, port, options.durable)) {
            std::ofstream(directory / "port") << port << "\n";
            return std::unique_ptr<PostgresCluster>(new PostgresCluster(directory, port, true));
        }
    }
    throw std::runtime_error("PostgreSQL did not start: " + read_file(directory / "server.log"));
}

std::unique_ptr<PostgresCluster> PostgresCluster::start_private(Options options) {
    static std::atomic<int> counter{0};
    return start(fs::temp_directory_path() /
                     ("calrt-postgres-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)),
                 options);
}

std::unique_ptr<PostgresCluster> PostgresCluster::attach(const fs::path& directory) {
    const std::string port = read_file(directory / "port");
    if (port.empty()) throw std::runtime_error("no PostgreSQL cluster in " + directory.string());
    return std::unique_ptr<PostgresCluster>(
        new PostgresCluster(directory, static_cast<std::uint16_t>(std::stoi(port)), false));
}

PostgresCluster::~PostgresCluster() {
    if (owned_) stop_and_remove();
}

std::string PostgresCluster::url(std::string_view database) const {
    return "postgres://calrt@127.0.0.1:" + std::to_string(port_) + "/" + std::string(database);
}

std::string PostgresCluster::create_database() {
    static std::atomic<int> counter{0};
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    const std::string name = "test_" + std::to_string(::getpid()) + "_" +
                             std::to_string(counter++) + "_" + std::to_string(now % 1'000'000);
    // FILE_COPY: with fsync off, copying the small template beats WAL-logging it.
    psql("postgres", "CREATE DATABASE " + name + " STRATEGY FILE_COPY");
    return url(name);
}

std::string PostgresCluster::psql(std::string_view database, std::string_view sql) const {
    const fs::path output = fs::temp_directory_path() /
                            ("calrt-psql-" + std::to_string(::getpid()) + "-" +
                             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    const int status = run({postgres_bin("psql").string(), "-X", "-q", "-A", "-t", "-v",
                            "ON_ERROR_STOP=1", "-d", url(database), "-c", std::string(sql)},
                           false, output);
    std::string text = read_file(output);
    fs::remove(output);
    if (status != 0) throw std::runtime_error("psql failed: " + text);
    return text;
}

void PostgresCluster::stop_server() {
    if (!running_) return;
    run({postgres_bin("pg_ctl").string(), "stop", "-w", "-m", "fast", "-D",
         (directory_ / "data").string()},
        true, directory_ / "pg_ctl.log");
    running_ = false;
}

void PostgresCluster::start_server() {
    if (running_) return;
    if (!start_with_pg_ctl(directory_, port_, false)) {
        throw std::runtime_error("PostgreSQL did not restart: " + read_file(directory_ / "server.log"));
    }
    running_ = true;
}

void PostgresCluster::stop_and_remove() {
    if (running_) {
        run({postgres_bin("pg_ctl").string(), "stop", "-w", "-m", "immediate", "-D",
             (directory_ / "data").string()},
            true, directory_ / "pg_ctl.log");
        running_ = false;
    }
    std::error_code ec;
    fs::remove_all(directory_, ec);
}

PostgresCluster& test_postgres() {
    static const std::unique_ptr<PostgresCluster> cluster = [] {
        if (const char* shared = std::getenv("CALRT_TEST_POSTGRES_DIR");
            shared != nullptr && fs::exists(fs::path(shared) / "port")) {
            return PostgresCluster::attach(shared);
        }
        return PostgresCluster::start_private();
    }();
    return *cluster;
}

std::string fresh_database_url() { return test_postgres().create_database(); }

}  // namespace calrt::test
