#include "support/http_test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include <stdexcept>
#include <sys/socket.h>

namespace calrt::test {
namespace asio = boost::asio;
namespace http = boost::beast::http;

HttpTestClient::HttpTestClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : socket_(io_), timeout_(timeout) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    // Blocking reads with a receive timeout, so a test that expects a reply never hangs forever.
    timeval tv{};
    tv.tv_sec = static_cast<long>(timeout_.count() / 1000);
    tv.tv_usec = static_cast<long>((timeout_.count() % 1000) * 1000);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

void HttpTestClient::send_raw(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes.data(), bytes.size())); }

std::optional<HttpResponse> HttpTestClient::read_response(bool after_head_request) {
    http::response_parser<http::string_body> parser;
    parser.skip(after_head_request);
    parser.body_limit(64 * 1024 * 1024);
    boost::system::error_code ec;
    http::read(socket_, buffer_, parser, ec);
    if (ec) return std::nullopt;
    return parser.release();
}

std::optional<HttpResponse> HttpTestClient::request(std::string_view method, std::string_view target,
                                                    std::vector<std::pair<std::string, std::string>> headers,
                                                    std::string_view body) {
    std::string raw = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [name, value] : headers) raw += name + ": " + value + "\r\n";
    if (!body.empty() || method == "POST") raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    raw += "\r\n";
    raw += body;
    send_raw(raw);
    return read_response();
}

bool HttpTestClient::closed_by_server() {
    char byte;
    boost::system::error_code ec;
    socket_.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
}

HttpResponse http_request(std::uint16_t port, std::string_view method, std::string_view target,
                          std::vector<std::pair<std::string, std::string>> headers, std::string_view body) {
    HttpTestClient client(port);
    auto response = client.request(method, target, std::move(headers), body);
    if (!response) throw std::runtime_error("no response to " + std::string(method) + " " + std::string(target));
    return std::move(*response);
}

}  // namespace calrt::test
