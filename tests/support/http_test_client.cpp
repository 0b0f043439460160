#include "support/http_test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <stdexcept>

namespace calrt::test {
namespace asio = boost::asio;
namespace http = boost::beast::http;

HttpTestClient::HttpTestClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : socket_(io_), timeout_(timeout) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
}

HttpTestClient::HttpTestClient(std::uint16_t port, std::string_view from_address, std::chrono::milliseconds timeout)
    : socket_(io_), timeout_(timeout) {
    socket_.open(asio::ip::tcp::v4());
    socket_.bind({asio::ip::make_address(std::string(from_address)), 0});
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
}

// Reads run asynchronously on the private io_context for at most the timeout, so a test that expects
// a reply never hangs forever. (A receive timeout on the socket does not do it: Asio's blocking read
// takes the EAGAIN it causes for "would block" and waits on.) Returns false on timeout.
bool HttpTestClient::run_with_deadline() {
    io_.restart();
    io_.run_for(timeout_);
    if (io_.stopped()) return true;
    boost::system::error_code ignored;
    socket_.cancel(ignored);
    io_.restart();
    io_.run();  // completes the canceled operation
    return false;
}

void HttpTestClient::send_raw(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes.data(), bytes.size())); }

std::optional<HttpResponse> HttpTestClient::read_response(bool after_head_request) {
    http::response_parser<http::string_body> parser;
    parser.skip(after_head_request);
    parser.body_limit(64 * 1024 * 1024);
    boost::system::error_code ec;
    http::async_read(socket_, buffer_, parser, [&ec](boost::system::error_code e, std::size_t) { ec = e; });
    if (!run_with_deadline() || ec) return std::nullopt;
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

std::optional<std::string> HttpTestClient::read_exactly(std::size_t count) {
    if (const auto missing = count - std::min(count, buffer_.size()); missing > 0) {
        boost::system::error_code ec;
        std::size_t read = 0;
        asio::async_read(socket_, buffer_.prepare(missing),
                         [&](boost::system::error_code e, std::size_t n) {
                             ec = e;
                             read = n;
                         });
        const bool in_time = run_with_deadline();
        buffer_.commit(read);
        if (!in_time || ec) return std::nullopt;
    }
    const auto* data = static_cast<const char*>(buffer_.data().data());
    std::string bytes(data, count);
    buffer_.consume(count);
    return bytes;
}

bool HttpTestClient::closed_by_server() {
    char byte;
    boost::system::error_code ec;
    socket_.async_read_some(asio::buffer(&byte, 1), [&ec](boost::system::error_code e, std::size_t) { ec = e; });
    if (!run_with_deadline()) return false;
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
