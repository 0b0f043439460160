// The response head written by hand (server/response_head.hpp) is, byte for byte, what Beast's
// serializer wrote for the message the server used to build: same status line, fields in the same
// order, a name set twice written once, and the same Connection and Content-Length rules.
#include "server/response_head.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace calrt::server {
namespace {

namespace http = boost::beast::http;

// How the server built a response head with Beast before issue 21.
std::string beast_head(const Response& response, const std::string& request_id, unsigned version,
                       bool keep_alive, std::size_t content_length) {
    http::response<http::string_body> out;
    out.version(version);
    out.result(response.status);
    out.set(http::field::server, "calendly-realtime");
    out.set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) out.set(name, value);
    if (!request_id.empty()) out.set("X-Request-Id", request_id);
    out.keep_alive(keep_alive);
    out.content_length(content_length);
    std::ostringstream text;
    text << out.base();
    return text.str();
}

std::string own_head(const Response& response, const std::string& request_id, unsigned version, bool keep_alive,
                     std::size_t content_length) {
    std::string head;
    append_response_head(head, response, request_id, version, keep_alive, content_length);
    return head;
}

TEST(ResponseHead, MatchesBeastForEveryVersionAndKeepAlive) {
    Response response;
    response.status = 200;
    for (unsigned version : {10u, 11u}) {
        for (bool keep_alive : {false, true}) {
            for (const std::string id : {"", "0265d1da-109882"}) {
                EXPECT_EQ(own_head(response, id, version, keep_alive, 4445),
                          beast_head(response, id, version, keep_alive, 4445))
                    << version << " " << keep_alive << " '" << id << "'";
            }
        }
    }
}

TEST(ResponseHead, MatchesBeastForStatusesAndTheirReasons) {
    for (unsigned status : {200u, 201u, 202u, 301u, 400u, 401u, 403u, 404u, 405u, 409u, 413u, 415u, 422u, 429u,
                            431u, 500u, 501u, 502u, 503u, 504u, 599u}) {
        Response response;
        response.status = status;
        response.content_type = "text/html; charset=utf-8";
        EXPECT_EQ(own_head(response, "id-1", 11, true, 12), beast_head(response, "id-1", 11, true, 12)) << status;
    }
}

TEST(ResponseHead, MatchesBeastWhenHeadersRepeatOrReplaceTheServers) {
    Response response;
    response.status = 503;
    response.headers = {{"Retry-After", "1"},
                        {"Cache-Control", "no-store"},
                        {"retry-after", "2"},
                        {"content-type", "text/plain"},
                        {"X-Request-Id", "from-the-handler"},
                        {"Server", "other"},
                        {"WWW-Authenticate", "Bearer"}};
    EXPECT_EQ(own_head(response, "id-2", 11, false, 0), beast_head(response, "id-2", 11, false, 0));
    // Without a request id of its own, the handler's stays.
    EXPECT_EQ(own_head(response, "", 11, true, 7), beast_head(response, "", 11, true, 7));
}

TEST(ResponseHead, FramingIsDecidedHereNotByAHandlersHeaders) {
    Response response;
    response.headers = {{"Content-Length", "999"}, {"Transfer-Encoding", "chunked"}, {"Connection", "upgrade"}};
    const std::string head = own_head(response, "id", 11, true, 5);
    EXPECT_EQ(head, "HTTP/1.1 200 OK\r\nServer: calendly-realtime\r\nContent-Type: application/json\r\n"
                    "X-Request-Id: id\r\nContent-Length: 5\r\n\r\n");
}

TEST(ResponseHead, ALineBreakInAValueCannotEndTheHead) {
    Response response;
    response.headers = {{"Location", "/x\r\n\r\nHTTP/1.1 200 OK"}};
    const std::string head = own_head(response, "id", 11, true, 0);
    EXPECT_EQ(head.find("\r\n\r\n"), head.size() - 4);
    EXPECT_NE(head.find("Location: /x    HTTP/1.1 200 OK\r\n"), std::string::npos);
}

TEST(ResponseHead, StatusesWithoutABodyHaveNoContentLength) {
    for (unsigned status : {101u, 204u, 304u}) {
        Response response;
        response.status = status;
        EXPECT_EQ(own_head(response, "id", 11, true, 0).find("Content-Length"), std::string::npos) << status;
        EXPECT_FALSE(status_has_body(status));
    }
    EXPECT_TRUE(status_has_body(200));
    EXPECT_TRUE(status_has_body(404));
}

}  // namespace
}  // namespace calrt::server
