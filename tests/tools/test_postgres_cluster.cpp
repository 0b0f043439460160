// Starts or stops the PostgreSQL cluster the tests share (the test_postgres ctest fixture) or a
// benchmark uses:
//   test_postgres_cluster start DIR [--durable]   initdb into DIR, start, print the port
//   test_postgres_cluster stop DIR                stop it and delete DIR
#include <cstring>
#include <exception>
#include <iostream>

#include "support/postgres_cluster.hpp"

int main(int argc, char** argv) {
    using calrt::test::PostgresCluster;
    if (argc < 3 || (std::strcmp(argv[1], "start") != 0 && std::strcmp(argv[1], "stop") != 0)) {
        std::cerr << "usage: " << argv[0] << " start DIR [--durable] | stop DIR\n";
        return 2;
    }
    try {
        const std::filesystem::path directory = argv[2];
        if (std::strcmp(argv[1], "stop") == 0) {
            if (!std::filesystem::exists(directory / "port")) return 0;  // never started
            auto cluster = PostgresCluster::attach(directory);
            cluster->stop_and_remove();
            return 0;
        }
        std::filesystem::remove_all(directory);  // what a previous run left behind
        PostgresCluster::Options options;
        options.durable = argc > 3 && std::strcmp(argv[3], "--durable") == 0;
        auto cluster = PostgresCluster::start(directory, options);
        std::cout << cluster->port() << "\n";
        // Leave it running: the fixture's cleanup test (or the benchmark) stops it.
        cluster->keep_running();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "test_postgres_cluster: " << e.what() << "\n";
        return 1;
    }
}
