#pragma once
// A small HTTPS server on 127.0.0.1:0 answering every request with one fixed JSON body, for testing
// TLS clients: it records what a test needs to see from the server side (connections accepted, the
// SNI name of each handshake) and can misbehave in the ways a keep-alive client must survive.

#include "support/tls_test_certificates.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace calrt::test {

struct TlsTestServerOptions {
    std::string body = R"({"ok":true})";
    // After answering this many requests on one connection, the server reads the next request and
    // closes the connection without answering: a server whose idle timeout fires just as a pooled
    // connection is reused.
    std::size_t answered_requests_per_connection = std::numeric_limits<std::size_t>::max();
    // Delay before each answer, so that concurrent requests overlap.
    std::chrono::milliseconds response_delay{0};
};

class TlsTestServer {
  public:
    explicit TlsTestServer(const TestCertificates& certificates, TlsTestServerOptions options = {});
    ~TlsTestServer();
    TlsTestServer(const TlsTestServer&) = delete;
    TlsTestServer& operator=(const TlsTestServer&) = delete;

    std::uint16_t port() const { return port_; }
    std::size_t accepted_connections() const { return accepted_connections_.load(); }
    std::size_t answered_requests() const { return answered_requests_.load(); }
    // The SNI host name of each handshake, in order; "" when the client sent none.
    std::vector<std::string> server_names() const;

  private:
    boost::asio::awaitable<void> accept_connections();
    boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context io_;  // first: destroyed last, after everything that uses it
    boost::asio::ssl::context tls_context_;
    boost::asio::ip::tcp::acceptor acceptor_;
    TlsTestServerOptions options_;
    std::uint16_t port_ = 0;
    std::atomic<std::size_t> accepted_connections_{0};
    std::atomic<std::size_t> answered_requests_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> server_names_;
    std::jthread thread_;
};

}  // namespace calrt::test
