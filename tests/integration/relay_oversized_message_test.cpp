// A browser message over REALTIME_MAX_MESSAGE_BYTES is answered with close 1009 every time, also
// when the client sends the whole message at once: the relay must not close its socket with the
// rest of the message unread (the kernel would then reset the connection and the 1009 would be
// lost). A raw TCP client, so that nothing between the test and the wire hides a reset.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <array>
#include <cstdint>
#include <string>

#include "support/relay_test_fixture.hpp"
#include "support/running_server.hpp"

namespace calrt::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using namespace std::chrono_literals;
using tcp = asio::ip::tcp;

constexpr auto as_result = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMiB = 1024 * 1024;

// One masked text frame (RFC 6455 5.2) of `size` bytes, header and payload in one buffer.
std::string masked_text_frame(std::size_t size) {
    std::string frame;
    frame.push_back(static_cast<char>(0x81));  // FIN, text
    frame.push_back(static_cast<char>(0x80 | 127));  // masked, 64-bit length
    for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<char>((size >> shift) & 0xFF));
    const std::array<char, 4> mask{0x11, 0x22, 0x33, 0x44};
    frame.append(mask.data(), mask.size());
    const std::size_t payload_at = frame.size();
    frame.append(size, 'A');
    for (std::size_t i = 0; i < size; ++i) frame[payload_at + i] ^= mask[i % 4];
    return frame;
}

// Reads until `input` holds at least `bytes` bytes.
asio::awaitable<boost::system::error_code> read_at_least(beast::tcp_stream& stream, std::string& input,
                                                         std::size_t bytes) {
    if (input.size() >= bytes) co_return boost::system::error_code{};
    auto [ec, n] = co_await asio::async_read(stream, asio::dynamic_buffer(input),
                                             asio::transfer_at_least(bytes - input.size()), as_result);
    co_return ec;
}

// Opens a WebSocket by hand, writes one whole frame of `size` bytes with a single write, then
// reads the server's frames: "close <code>" for the close frame, or what went wrong instead.
asio::awaitable<std::string> send_whole_message(std::uint16_t port, std::size_t size) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(10s);
    auto [connect_error] = co_await stream.async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), as_result);
    if (connect_error) co_return "connect: " + connect_error.message();
    const std::string upgrade = "GET /api/realtime HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                                "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                "Sec-WebSocket-Version: 13\r\n\r\n";
    if (auto [ec, n] = co_await asio::async_write(stream, asio::buffer(upgrade), as_result); ec)
        co_return "upgrade: " + ec.message();
    std::string input;
    auto [head_error, head_size] =
        co_await asio::async_read_until(stream, asio::dynamic_buffer(input), "\r\n\r\n", as_result);
    if (head_error) co_return "upgrade answer: " + head_error.message();
    if (input.rfind("HTTP/1.1 101", 0) != 0) co_return "upgrade answer: " + input.substr(0, input.find('\r'));
    input.erase(0, head_size);

    const std::string frame = masked_text_frame(size);
    if (auto [ec, n] = co_await asio::async_write(stream, asio::buffer(frame), as_result); ec)
        co_return "writing the message: " + ec.message();

    // Server frames are unmasked: 2 header bytes, then a 16- or 64-bit length when 126 or 127.
    for (;;) {
        if (auto ec = co_await read_at_least(stream, input, 2)) co_return "reading: " + ec.message();
        const auto opcode = static_cast<unsigned char>(input[0]) & 0x0F;
        std::size_t length = static_cast<unsigned char>(input[1]) & 0x7F;
        std::size_t header = 2;
        if (length >= 126) {
            header += length == 126 ? 2 : 8;
            if (auto ec = co_await read_at_least(stream, input, header)) co_return "reading: " + ec.message();
            length = 0;
            for (std::size_t i = 2; i < header; ++i) length = (length << 8) | static_cast<unsigned char>(input[i]);
        }
        if (auto ec = co_await read_at_least(stream, input, header + length)) co_return "reading: " + ec.message();
        if (opcode == 0x8) {
            if (length < 2) co_return "close without a code";
            const auto code = (static_cast<unsigned char>(input[header]) << 8) |
                              static_cast<unsigned char>(input[header + 1]);
            co_return "close " + std::to_string(code);
        }
        input.erase(0, header + length);  // the upstream's session events
    }
}

class RelayOversizedMessageTest : public test::RelayTestFixture {};

TEST_F(RelayOversizedMessageTest, WholeOversizedMessagesAreAlwaysAnsweredWith1009) {
    limits.max_message_bytes = kMiB;
    limits.connections_per_minute = 1000;
    start();
    const std::array<std::size_t, 3> sizes{kMiB + kMiB / 10, 2 * kMiB, 4 * kMiB};
    int answered = 0;
    for (int attempt = 0; attempt < 50; ++attempt) {
        const std::size_t size = sizes[static_cast<std::size_t>(attempt) % sizes.size()];
        const std::string outcome = io.run(send_whole_message(relay_port(), size));
        EXPECT_EQ(outcome, "close 1009") << "attempt " << attempt << ", " << size << " bytes";
        if (outcome == "close 1009") ++answered;
        // One session at a time, as a browser tab would have it.
        ASSERT_TRUE(test::wait_until([&] { return active_sessions() == 0; }));
    }
    EXPECT_EQ(answered, 50);
}

}  // namespace
}  // namespace calrt::server
