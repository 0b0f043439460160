// What net::WebSocket puts on the wire, read byte by byte by a raw client: a message goes out as
// one frame, not cut into 4 KiB fragments (Beast's default), so a peer reads 100 ms of audio with
// one frame's reads and the relay sends it with one write.
#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "support/http_test_client.hpp"
#include "support/io_threads.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"

namespace calrt::net {
namespace {

using nlohmann::json;

struct Frame {
    bool fin = false;
    int opcode = 0;
    bool masked = false;
    std::string payload;
};

std::optional<Frame> read_frame(test::HttpTestClient& client) {
    const auto head = client.read_exactly(2);
    if (!head) return std::nullopt;
    Frame frame;
    frame.fin = (static_cast<unsigned char>((*head)[0]) & 0x80) != 0;
    frame.opcode = static_cast<unsigned char>((*head)[0]) & 0x0F;
    frame.masked = (static_cast<unsigned char>((*head)[1]) & 0x80) != 0;
    std::uint64_t length = static_cast<unsigned char>((*head)[1]) & 0x7F;
    if (length >= 126) {
        const auto extended = client.read_exactly(length == 126 ? 2 : 8);
        if (!extended) return std::nullopt;
        length = 0;
        for (const char byte : *extended) length = (length << 8) | static_cast<unsigned char>(byte);
    }
    if (frame.masked && !client.read_exactly(4)) return std::nullopt;  // a server never masks
    auto payload = client.read_exactly(static_cast<std::size_t>(length));
    if (!payload) return std::nullopt;
    frame.payload = std::move(*payload);
    return frame;
}

// A client's text frame, masked as RFC 6455 5.3 requires.
std::string masked_text_frame(const std::string& text) {
    std::string frame = "\x81";
    frame += static_cast<char>(0x80 | 126);
    frame += static_cast<char>((text.size() >> 8) & 0xFF);
    frame += static_cast<char>(text.size() & 0xFF);
    const char key[4] = {0x12, 0x34, 0x56, 0x78};
    frame.append(key, 4);
    for (std::size_t i = 0; i < text.size(); ++i) frame += static_cast<char>(text[i] ^ key[i % 4]);
    return frame;
}

TEST(WebSocketFraming, AMessageLargerThanBeastsFragmentSizeGoesOutAsOneFrame) {
    test::IoThreads io;
    calrt::testing::FakeRealtime fake{io.io};
    fake.start();
    test::HttpTestClient client(fake.port());
    const auto upgraded = client.request("GET", "/v1/realtime?model=m1",
                                         {{"Upgrade", "websocket"},
                                          {"Connection", "Upgrade"},
                                          {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                          {"Sec-WebSocket-Version", "13"},
                                          {"Authorization", "Bearer test-openai-key"}});
    ASSERT_TRUE(upgraded);
    ASSERT_EQ(upgraded->result_int(), 101u);
    const auto created = read_frame(client);
    ASSERT_TRUE(created);
    EXPECT_EQ(json::parse(created->payload)["type"], "session.created");

    // The fake answers with the whole session, instructions included: about 7 KB.
    const std::string instructions(6000, 'x');
    const json update = {{"type", "session.update"},
                         {"session", {{"type", "realtime"}, {"instructions", instructions}}}};
    client.send_raw(masked_text_frame(update.dump()));
    const auto updated = read_frame(client);
    ASSERT_TRUE(updated);
    EXPECT_TRUE(updated->fin) << "the message was cut into frames; the first has "
                              << updated->payload.size() << " bytes";
    EXPECT_EQ(updated->opcode, 1);  // text
    EXPECT_FALSE(updated->masked);
    const json event = json::parse(updated->payload, nullptr, false);
    ASSERT_FALSE(event.is_discarded());
    EXPECT_EQ(event["type"], "session.updated");
    EXPECT_EQ(event["session"]["instructions"], instructions);
}

}  // namespace
}  // namespace calrt::net
