// Starts or stops the PostgreSQL cluster the tests share (the test_postgres ctest fixture) or a
// benchmark uses:
//   test_postgres_cluster start DIR [--durable]   start a cluster, print its port, note it in DIR
//   test_postgres_cluster stop DIR                stop the cluster noted in DIR and delete it
// The cluster's files live in a directory of their own under the temp dir, not in DIR: PostgreSQL
// runs as the `postgres` user when the tests run as root, and that user may not be able to enter
// the build tree (a checkout under /root, say). DIR holds `port` (what the tests read) and
// `cluster` (where the files are).
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <iostream>

#include "support/postgres_cluster.hpp"

int main(int argc, char** argv) {
    using calrt::test::PostgresCluster;
    if (argc < 3 || (std::strcmp(argv[1], "start") != 0 && std::strcmp(argv[1], "stop") != 0)) {
        std::cerr << "usage: " << argv[0] << " start DIR [--durable] | stop DIR\n";
        return 2;
    }
    try {
        const std::filesystem::path state = argv[2];
        if (std::strcmp(argv[1], "stop") == 0) {
            std::ifstream noted(state / "cluster");
            std::string cluster_directory;
            std::getline(noted, cluster_directory);
            if (!cluster_directory.empty() && std::filesystem::exists(cluster_directory)) {
                PostgresCluster::attach(cluster_directory)->stop_and_remove();
            }
            std::filesystem::remove_all(state);
            return 0;
        }
        std::filesystem::remove_all(state);  // what a previous run left behind
        std::filesystem::create_directories(state);
        PostgresCluster::Options options;
        options.durable = argc > 3 && std::strcmp(argv[3], "--durable") == 0;
        auto cluster = PostgresCluster::start_private(options);
        std::ofstream(state / "port") << cluster->port() << "\n";
        std::ofstream(state / "cluster") << cluster->directory().string() << "\n";
        std::cout << cluster->port() << "\n";
        // Leave it running: the fixture's cleanup test (or the benchmark) stops it.
        cluster->keep_running();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "test_postgres_cluster: " << e.what() << "\n";
        return 1;
    }
}
