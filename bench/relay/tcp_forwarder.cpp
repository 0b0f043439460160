#include "tcp_forwarder.hpp"

#include <signal.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/free_port.hpp"
#include "support/running_server.hpp"

namespace calrt::bench {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

struct Connection {
    explicit Connection(tcp::socket browser_socket)
        : browser(std::move(browser_socket)), upstream(browser.get_executor()) {}
    void close() {
        boost::system::error_code ignored;
        browser.close(ignored);
        upstream.close(ignored);
    }
    tcp::socket browser;
    tcp::socket upstream;
};

// Copies until either side ends, then closes both (which ends the other direction too).
asio::awaitable<void> copy(std::shared_ptr<Connection> connection, tcp::socket& from, tcp::socket& to) {
    std::array<char, 64 * 1024> buffer;
    for (;;) {
        auto [read_error, size] = co_await from.async_read_some(asio::buffer(buffer), kAsTuple);
        if (read_error) break;
        auto [write_error, written] = co_await asio::async_write(to, asio::buffer(buffer, size), kAsTuple);
        if (write_error) break;
    }
    connection->close();
}

asio::awaitable<void> forward(tcp::socket browser, std::uint16_t upstream_port) {
    auto connection = std::make_shared<Connection>(std::move(browser));
    auto [error] = co_await connection->upstream.async_connect(
        {asio::ip::address_v4::loopback(), upstream_port}, kAsTuple);
    if (error) {
        connection->close();
        co_return;
    }
    connection->browser.set_option(tcp::no_delay(true));
    connection->upstream.set_option(tcp::no_delay(true));
    const auto executor = connection->browser.get_executor();
    asio::co_spawn(executor, copy(connection, connection->browser, connection->upstream), asio::detached);
    asio::co_spawn(executor, copy(connection, connection->upstream, connection->browser), asio::detached);
}

// Hands each accepted connection to the next thread's io_context, as the service does.
asio::awaitable<void> accept(tcp::acceptor& acceptor, std::vector<std::unique_ptr<asio::io_context>>& loops,
                             std::uint16_t upstream_port) {
    for (std::size_t next = 0;; ++next) {
        auto& loop = *loops[next % loops.size()];
        auto [error, socket] = co_await acceptor.async_accept(loop, kAsTuple);
        if (error) co_return;
        asio::co_spawn(loop, forward(std::move(socket), upstream_port), asio::detached);
    }
}

}  // namespace

int run_tcp_forwarder(std::uint16_t listen_port, std::uint16_t upstream_port, unsigned threads) {
    std::vector<std::unique_ptr<asio::io_context>> loops;
    for (unsigned i = 0; i < std::max(threads, 1u); ++i) loops.push_back(std::make_unique<asio::io_context>(1));
    auto& main_loop = *loops.front();
    tcp::acceptor acceptor(main_loop, {asio::ip::address_v4::loopback(), listen_port});
    asio::signal_set stop(main_loop, SIGTERM, SIGINT);
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
    for (auto& loop : loops) keep_running.push_back(asio::make_work_guard(*loop));
    stop.async_wait([&](const boost::system::error_code&, int) {
        for (auto& loop : loops) loop->stop();
    });
    asio::co_spawn(main_loop, accept(acceptor, loops, upstream_port), asio::detached);
    std::vector<std::jthread> workers;
    for (std::size_t i = 1; i < loops.size(); ++i) workers.emplace_back([&, i] { loops[i]->run(); });
    main_loop.run();
    return 0;
}

TcpForwarderProcess::TcpForwarderProcess(std::uint16_t upstream_port, unsigned threads)
    : port_(test::free_port()) {
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    process_ = std::make_unique<test::ChildProcess>(
        self,
        std::vector<std::string>{"--tcp-forwarder", std::to_string(port_), std::to_string(upstream_port),
                                 std::to_string(threads)},
        std::map<std::string, std::string>{});
    const bool listening = test::wait_until([&] {
        boost::asio::io_context io;
        tcp::socket probe(io);
        boost::system::error_code error;
        probe.connect({asio::ip::address_v4::loopback(), port_}, error);
        return !error;
    });
    if (!listening) {
        throw std::runtime_error("the TCP forwarder did not listen: " +
                                 process_->drain_stderr(std::chrono::seconds(1)));
    }
}

TcpForwarderProcess::~TcpForwarderProcess() {
    process_->terminate(std::chrono::seconds(5));
}

}  // namespace calrt::bench
