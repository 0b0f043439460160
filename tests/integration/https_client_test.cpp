// The HTTP client over TLS against an in-process HTTPS server with a CA generated for the test:
// certificate and host-name verification, SNI, handshake timeout, and the keep-alive pool (which
// the HTTPS server can observe by counting the connections it accepts).
#include "calrt/net/http_client.hpp"
#include "support/io_threads.hpp"
#include "support/tls_test_certificates.hpp"
#include "support/tls_test_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <future>
#include <stdexcept>

namespace calrt::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::TestCertificates;
using test::TlsTestServer;
using test::TlsTestServerOptions;

class HttpsClientTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        certificates = std::make_unique<TestCertificates>();
        other_name_certificates = std::make_unique<TestCertificates>(
            std::vector<std::string>{"other.example"}, std::vector<std::string>{});
    }
    static void TearDownTestSuite() {
        certificates.reset();
        other_name_certificates.reset();
    }

    HttpClientOptions trusting_options() const {
        HttpClientOptions options;
        options.connect_timeout = 2s;
        options.tls_handshake_timeout = 2s;
        options.request_timeout = 2s;
        options.extra_ca_file = certificates->ca_file().string();
        return options;
    }

    Result<HttpResponse> get(HttpClient& client, const std::string& url) {
        return client_threads.run(client.send({.url = url}));
    }

    static std::string url(std::string_view host, const TlsTestServer& server) {
        return "https://" + std::string(host) + ":" + std::to_string(server.port()) + "/resource";
    }

    static std::unique_ptr<TestCertificates> certificates;
    static std::unique_ptr<TestCertificates> other_name_certificates;
    test::IoThreads client_threads;
};

std::unique_ptr<TestCertificates> HttpsClientTest::certificates;
std::unique_ptr<TestCertificates> HttpsClientTest::other_name_certificates;

TEST_F(HttpsClientTest, TrustedCaLetsTheRequestThrough) {
    TlsTestServer server(*certificates, {.body = R"({"tls":true})"});
    HttpClient client(client_threads.io.get_executor(), trusting_options());

    auto response = get(client, url("localhost", server));

    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200u);
    EXPECT_EQ(response->body, R"({"tls":true})");
}

TEST_F(HttpsClientTest, CertificateFromUnknownCaIsTlsVerifyFailed) {
    TlsTestServer server(*certificates);
    auto options = trusting_options();
    options.extra_ca_file.clear();  // the system store alone does not know the test CA
    HttpClient client(client_threads.io.get_executor(), options);

    auto response = get(client, url("localhost", server));

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "tls_verify_failed");
    EXPECT_NE(response.error().message.find("localhost:" + std::to_string(server.port())),
              std::string::npos)
        << response.error().message;
    EXPECT_EQ(server.answered_requests(), 0u);
}

TEST_F(HttpsClientTest, CertificateForAnotherHostNameIsTlsVerifyFailed) {
    TlsTestServer server(*other_name_certificates);
    auto options = trusting_options();
    options.extra_ca_file = other_name_certificates->ca_file().string();
    HttpClient client(client_threads.io.get_executor(), options);

    auto response = get(client, url("localhost", server));

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "tls_verify_failed");
    EXPECT_EQ(server.answered_requests(), 0u);
}

TEST_F(HttpsClientTest, CertificateWithoutTheIpAddressIsTlsVerifyFailed) {
    TlsTestServer server(*other_name_certificates);
    auto options = trusting_options();
    options.extra_ca_file = other_name_certificates->ca_file().string();
    HttpClient client(client_threads.io.get_executor(), options);

    auto response = get(client, url("127.0.0.1", server));

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "tls_verify_failed");
}

TEST_F(HttpsClientTest, IpAddressInTheCertificateVerifies) {
    TlsTestServer server(*certificates);
    HttpClient client(client_threads.io.get_executor(), trusting_options());

    auto response = get(client, url("127.0.0.1", server));

    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200u);
}

TEST_F(HttpsClientTest, SendsTheHostNameAsSni) {
    TlsTestServer server(*certificates);
    HttpClient client(client_threads.io.get_executor(), trusting_options());

    ASSERT_TRUE(get(client, url("localhost", server)));

    EXPECT_EQ(server.server_names(), std::vector<std::string>{"localhost"});
}

TEST_F(HttpsClientTest, SendsNoSniForAnIpAddress) {
    TlsTestServer server(*certificates);
    HttpClient client(client_threads.io.get_executor(), trusting_options());

    ASSERT_TRUE(get(client, url("127.0.0.1", server)));

    // RFC 6066 section 3: literal IP addresses are not permitted in SNI.
    EXPECT_EQ(server.server_names(), std::vector<std::string>{""});
}

TEST_F(HttpsClientTest, UnreadableCaFileIsAStartUpError) {
    auto options = trusting_options();
    options.extra_ca_file = "/nonexistent/ca.pem";

    EXPECT_THROW(HttpClient(client_threads.io.get_executor(), options), std::runtime_error);
}

TEST_F(HttpsClientTest, SilentPeerDuringHandshakeIsConnectFailedAfterTheHandshakeTimeout) {
    // A listener that never accepts: the kernel completes the TCP handshake, nobody answers TLS.
    asio::io_context io;
    asio::ip::tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});
    auto options = trusting_options();
    options.tls_handshake_timeout = 100ms;
    HttpClient client(client_threads.io.get_executor(), options);
    const auto started = std::chrono::steady_clock::now();

    auto response =
        get(client, "https://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/");

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "connect_failed");
    EXPECT_EQ(response.error().kind, ErrorKind::upstream_timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

TEST_F(HttpsClientTest, ReusesTheKeepAliveConnectionForSequentialRequests) {
    TlsTestServer server(*certificates);
    HttpClient client(client_threads.io.get_executor(), trusting_options());

    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(get(client, url("localhost", server))) << "request " << i;

    EXPECT_EQ(server.answered_requests(), 3u);
    EXPECT_EQ(server.accepted_connections(), 1u);
}

TEST_F(HttpsClientTest, DoesNotReuseAConnectionIdleLongerThanTheTtl) {
    TlsTestServer server(*certificates);
    auto options = trusting_options();
    options.idle_connection_ttl = 0ms;
    HttpClient client(client_threads.io.get_executor(), options);

    ASSERT_TRUE(get(client, url("localhost", server)));
    ASSERT_TRUE(get(client, url("localhost", server)));

    EXPECT_EQ(server.accepted_connections(), 2u);
}

TEST_F(HttpsClientTest, KeepsNoMoreIdleConnectionsThanTheLimit) {
    TlsTestServer server(*certificates, {.response_delay = 50ms});
    auto options = trusting_options();
    options.max_idle_connections_per_host = 1;
    HttpClient client(client_threads.io.get_executor(), options);
    const auto two_concurrent_requests = [&] {
        auto first = asio::co_spawn(
            client_threads.io, client.send({.url = url("localhost", server)}), asio::use_future);
        auto second = asio::co_spawn(
            client_threads.io, client.send({.url = url("localhost", server)}), asio::use_future);
        ASSERT_TRUE(first.get());
        ASSERT_TRUE(second.get());
    };

    two_concurrent_requests();  // opens two connections; only one stays in the pool
    ASSERT_EQ(server.accepted_connections(), 2u);
    two_concurrent_requests();  // one reuses the pooled connection, one needs a new connection

    EXPECT_EQ(server.accepted_connections(), 3u);
}

TEST_F(HttpsClientTest, RetriesOnAFreshConnectionWhenThePooledOneIsClosedBeforeTheResponse) {
    TlsTestServer server(*certificates, {.answered_requests_per_connection = 1});
    HttpClient client(client_threads.io.get_executor(), trusting_options());
    ASSERT_TRUE(get(client, url("localhost", server)));

    auto response = get(client, url("localhost", server));

    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200u);
    EXPECT_EQ(server.accepted_connections(), 2u);
    EXPECT_EQ(server.answered_requests(), 2u);
}

TEST_F(HttpsClientTest, FreshConnectionClosedBeforeTheResponseIsConnectionLostWithoutRetry) {
    TlsTestServer server(*certificates, {.answered_requests_per_connection = 0});
    HttpClient client(client_threads.io.get_executor(), trusting_options());

    auto response = get(client, url("localhost", server));

    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "connection_lost");
    EXPECT_EQ(server.accepted_connections(), 1u);
}

}  // namespace
}  // namespace calrt::net
