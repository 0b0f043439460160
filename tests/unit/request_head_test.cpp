// What a connection takes from a request head before any body: known methods only (H1),
// Transfer-Encoding exactly chunked (L3), the client address behind trusted proxies (L2).
#include "server/request_head.hpp"

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <gtest/gtest.h>

namespace calrt::server {
namespace {

namespace http = boost::beast::http;

Result<Request> from_head(std::string_view text, std::string_view peer = "203.0.113.5",
                          std::string_view trusted = "") {
    http::request_parser<http::string_body> parser;
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(text.data(), text.size()), ec);
    EXPECT_TRUE(!ec || ec == http::error::need_more) << ec.message();
    EXPECT_TRUE(parser.is_header_done());
    return request_from_head(parser.get(), peer, parse_ip_networks(trusted).value());
}

TEST(RequestHead, KnownMethodsAreAccepted) {
    for (const char* method : {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
        auto request = from_head(std::string(method) + " /x?a=1&b=%20 HTTP/1.1\r\nHost: h\r\n\r\n");
        ASSERT_TRUE(request) << method;
        EXPECT_EQ(request->method, method);
        EXPECT_EQ(request->path, "/x");
        EXPECT_EQ(request->query_param("b"), " ");
    }
}

TEST(RequestHead, AnUnknownMethodIsNotImplemented) {
    for (const char* method : {"M0000001", "PROPFIND", "BREW"}) {
        auto request = from_head(std::string(method) + " /healthz HTTP/1.1\r\nHost: h\r\n\r\n");
        ASSERT_FALSE(request) << method;
        EXPECT_EQ(request.error().kind, ErrorKind::not_implemented);
        EXPECT_EQ(http_status_of(request.error().kind), 501u);
        EXPECT_EQ(request.error().message.find(method), std::string::npos) << "the method is not echoed";
    }
}

TEST(RequestHead, TransferEncodingMustBeExactlyChunked) {
    const std::string prefix = "POST /api/calendly HTTP/1.1\r\nHost: h\r\n";
    EXPECT_TRUE(from_head(prefix + "Transfer-Encoding: chunked\r\n\r\n"));
    EXPECT_TRUE(from_head(prefix + "Transfer-Encoding: Chunked\r\n\r\n"));
    for (const char* bad : {"chunked, identity", "gzip, chunked", "identity", "chunked, chunked"}) {
        auto request = from_head(prefix + "Transfer-Encoding: " + bad + "\r\n\r\n");
        ASSERT_FALSE(request) << bad;
        EXPECT_EQ(request.error().code, "bad_request");
    }
}

TEST(RequestHead, ATargetThatIsNotOriginFormIsABadRequest) {
    auto request = from_head("GET http://example.com/ HTTP/1.1\r\nHost: h\r\n\r\n");
    ASSERT_FALSE(request);
    EXPECT_EQ(request.error().code, "bad_request");
}

TEST(RequestHead, ForwardedForIsBelievedOnlyFromATrustedProxy) {
    const std::string head = "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 198.51.100.7\r\n\r\n";
    EXPECT_EQ(from_head(head, "10.0.0.1", "10.0.0.0/8")->remote_address, "198.51.100.7");
    EXPECT_EQ(from_head(head, "203.0.113.5", "10.0.0.0/8")->remote_address, "203.0.113.5");
}

}  // namespace
}  // namespace calrt::server
