#pragma once
// A blocking HTTP/1.1 client for tests: one TCP connection to 127.0.0.1, raw writes when a test
// needs to misbehave (slow heads, pipelining), and Beast's parser to read responses.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calrt::test {

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

class HttpTestClient {
public:
    explicit HttpTestClient(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // Connects from `from_address`, another loopback address such as 127.0.0.2 (Linux routes all of
    // 127.0.0.0/8 to the loopback interface): a second client address for per-address limits.
    HttpTestClient(std::uint16_t port, std::string_view from_address,
                   std::chrono::milliseconds timeout = std::chrono::seconds(5));

    void send_raw(std::string_view bytes);
    // Reads one response; nullopt when the server closed the connection (or the timeout passed).
    // A response to HEAD carries no body whatever its Content-Length says.
    std::optional<HttpResponse> read_response(bool after_head_request = false);
    // Sends a request with Content-Length and reads its response.
    std::optional<HttpResponse> request(std::string_view method, std::string_view target,
                                        std::vector<std::pair<std::string, std::string>> headers = {},
                                        std::string_view body = {});
    // The next `count` bytes after what was read so far (after an upgrade: the WebSocket's frames);
    // nullopt when the connection ends first or the timeout passes.
    std::optional<std::string> read_exactly(std::size_t count);
    // True once the server has closed the connection (reads EOF or reset within the timeout).
    bool closed_by_server();

private:
    bool run_with_deadline();

    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_;
    boost::beast::flat_buffer buffer_;
    std::chrono::milliseconds timeout_;
};

// One request on a fresh connection.
HttpResponse http_request(std::uint16_t port, std::string_view method, std::string_view target,
                          std::vector<std::pair<std::string, std::string>> headers = {}, std::string_view body = {});

}  // namespace calrt::test
