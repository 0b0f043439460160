#pragma once
// A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a fresh directory, started
// with pg_ctl on a free 127.0.0.1 port (TCP only), stopped and deleted by stop() or the destructor.
// PostgreSQL refuses to run as root, so when the tests run as root the cluster runs as the
// `postgres` user that Debian's postgresql-15 package creates.
//
// The tests share one cluster per ctest run (the test_postgres fixture in tests/CMakeLists.txt
// starts it with tests/tools/test_postgres_cluster.cpp and names its directory in
// CALRT_TEST_POSTGRES_DIR); a test binary run by hand starts its own on first use.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace calrt::test {

class PostgresCluster {
  public:
    struct Options {
        // fsync on for benchmarks of durable throughput; tests do not need it.
        bool durable = false;
    };

    // Throws std::runtime_error naming what is missing (no PostgreSQL binaries, initdb failed…).
    static std::unique_ptr<PostgresCluster> start(const std::filesystem::path& directory,
                                                  Options options);
    static std::unique_ptr<PostgresCluster> start(const std::filesystem::path& directory) {
        return start(directory, Options{});
    }
    // A cluster in a new directory directly under the temp dir (which the postgres user can reach,
    // unlike a 0700 TempDir of root's), removed with it.
    static std::unique_ptr<PostgresCluster> start_private(Options options);
    static std::unique_ptr<PostgresCluster> start_private() { return start_private(Options{}); }
    // A cluster another process started in `directory` (its port is in directory/port); not
    // stopped by this object.
    static std::unique_ptr<PostgresCluster> attach(const std::filesystem::path& directory);

    ~PostgresCluster();
    PostgresCluster(const PostgresCluster&) = delete;
    PostgresCluster& operator=(const PostgresCluster&) = delete;

    // postgres://calrt@127.0.0.1:PORT/database (the superuser, trust authentication).
    std::string url(std::string_view database) const;
    // Creates a new, uniquely named, empty database and returns its URL.
    std::string create_database();
    // Runs SQL in `database` through psql; throws with psql's output on failure.
    std::string psql(std::string_view database, std::string_view sql) const;

    // pg_ctl stop / start on the same port and data: what a database restart looks like to the
    // service. stop_and_remove() also deletes the directory (what the destructor does when owned).
    void stop_server();
    void start_server();
    void stop_and_remove();
    // The destructor leaves the cluster running (a fixture's setup hands it to its cleanup).
    void keep_running() noexcept { owned_ = false; }

    std::uint16_t port() const noexcept { return port_; }
    const std::filesystem::path& directory() const noexcept { return directory_; }

  private:
    PostgresCluster(std::filesystem::path directory, std::uint16_t port, bool owned);

    std::filesystem::path directory_;
    std::uint16_t port_ = 0;
    bool owned_ = false;
    bool running_ = false;
};

// The cluster this test process uses: the ctest fixture's, or one started on first use (stopped
// when the process exits).
PostgresCluster& test_postgres();
// A fresh database on test_postgres().
std::string fresh_database_url();

}  // namespace calrt::test
