// SIGTERM while work is in flight against a Calendly that never answers (review item M1): the
// service ends by running out of work (no coroutine frame left for the io_context's destructor,
// nothing borrowed used after it is gone), exits 0 within its grace period, and under ASan reports
// nothing.
#include "calrt/net/websocket_client.hpp"
#include "support/child_process.hpp"
#include "support/io_threads.hpp"
#include "support/realtime_events_reader.hpp"
#include "support/running_server.hpp"
#include "support/temp_dir.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <list>
#include <mutex>

namespace calrt {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using nlohmann::json;

// A "Calendly" that accepts connections and never says a word.
class HangingServer {
public:
    explicit HangingServer(asio::io_context& io) : acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}) {
        accept();
    }
    ~HangingServer() {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    std::size_t accepted() const {
        std::lock_guard lock(mutex_);
        return held_.size();
    }

private:
    void accept() {
        acceptor_.async_accept([this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
            if (ec) return;
            {
                std::lock_guard lock(mutex_);
                held_.push_back(std::move(socket));
            }
            accept();
        });
    }
    asio::ip::tcp::acceptor acceptor_;
    mutable std::mutex mutex_;
    std::list<asio::ip::tcp::socket> held_;
};

std::uint16_t port_from(const std::string& listening_line) {
    return static_cast<std::uint16_t>(std::stoi(listening_line.substr(listening_line.find("port=") + 5)));
}

TEST(ServiceShutdownProcess, SigtermWithARelaySessionWaitingOnAHangingCalendlyExitsCleanly) {
    test::IoThreads io;
    HangingServer calendly(io.io);
    test::TempDir dir;
    test::ChildProcess service(CALRT_BINARY, {"--host", "127.0.0.1"},
                               {{"PORT", "0"},
                                {"DATA_DIR", (dir.path() / "data").string()},
                                {"WEB_ROOT", std::string(CALRT_SOURCE_DIR) + "/web"},
                                {"CALENDLY_API_KEY", "pat-that-never-gets-an-answer"},
                                {"CALENDLY_API_BASE_URL", "http://127.0.0.1:" + std::to_string(calendly.port())}},
                               dir.path().string());
    const auto listening = service.wait_for_line("listening");
    ASSERT_TRUE(listening) << service.drain_stderr();
    const auto port = port_from(*listening);

    net::HeaderList headers;
    headers.emplace_back("Origin", "http://127.0.0.1:" + std::to_string(port));
    auto connected = io.run(net::connect_websocket(
        io.io.get_executor(), "ws://127.0.0.1:" + std::to_string(port) + "/api/realtime", headers, {}));
    ASSERT_TRUE(connected) << connected.error().message;
    net::WebSocket& browser = *connected;
    test::EventLog log;
    ASSERT_TRUE(test::read_events_until(io, browser, log, test::event_of_type("session.updated")))
        << "the session opens although Calendly does not answer";

    // The sandbox assistant calls get_available_meeting_types, which waits on Calendly.
    ASSERT_TRUE(io.run(browser.write(test::user_message("What meeting types are there?").dump())));
    ASSERT_TRUE(io.run(browser.write(json{{"type", "response.create"}}.dump())));
    ASSERT_TRUE(test::read_events_until(io, browser, log, [](const json& event) {
        return event.value("type", "") == "response.output_item.done" &&
               event["item"].value("type", "") == "function_call";
    }));
    // The readiness check and the tool share the host lookup: at least one call hangs on Calendly.
    ASSERT_TRUE(test::wait_until([&] { return calendly.accepted() >= 1; }, 5s))
        << "the tool is waiting on Calendly";

    const auto stopping = std::chrono::steady_clock::now();
    service.signal(SIGTERM);
    EXPECT_EQ(service.wait_exit(15s), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - stopping, 10s) << "within SHUTDOWN_GRACE_MS";
    const std::string output = service.drain_stderr();
    EXPECT_EQ(output.find("work was still pending"), std::string::npos) << output;
    EXPECT_EQ(output.find("AddressSanitizer"), std::string::npos) << output;
    EXPECT_EQ(output.find("runtime error"), std::string::npos) << output;
    EXPECT_NE(output.find("stopped"), std::string::npos) << output;
}

}  // namespace
}  // namespace calrt
