// Connections spread over io_contexts of their own (one thread each, as the service runs them):
// each connection is served on the next context in turn, and shutdown still drains them all.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>

#include "support/http_test_client.hpp"
#include "support/running_server.hpp"

namespace calrt::server {
namespace {

using namespace std::chrono_literals;

std::string thread_name() {
    return std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
}

// An io_context run by one thread until the object dies.
struct WorkerContext {
    WorkerContext() : guard(boost::asio::make_work_guard(io)), thread([this] { io.run(); }) {}
    ~WorkerContext() {
        guard.reset();
        thread.join();
    }
    // The name thread_name() gives on this context's thread.
    std::string thread_name() {
        std::promise<std::string> name;
        boost::asio::post(io, [&name] { name.set_value(calrt::server::thread_name()); });
        return name.get_future().get();
    }

    boost::asio::io_context io{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard;
    std::thread thread;
};

TEST(HttpServerSpread, EachConnectionIsServedOnTheNextContextsThreadInTurn) {
    WorkerContext first;
    WorkerContext second;
    const std::string first_thread = first.thread_name();
    const std::string second_thread = second.thread_name();
    {
        test::RunningServer server;
        server.router.get("/thread", sync_handler([](Request&) {
                              Response response;
                              response.content_type = "text/plain";
                              response.body = thread_name();
                              return response;
                          }));
        server.connection_contexts = {&first.io, &second.io};
        server.start();
        std::vector<std::string> served;
        for (int i = 0; i < 4; ++i) {
            test::HttpTestClient connection(server.port());
            // Two requests on one connection: both on its context's thread.
            auto a = connection.request("GET", "/thread");
            auto b = connection.request("GET", "/thread");
            ASSERT_TRUE(a && b);
            EXPECT_EQ(a->body(), b->body());
            served.push_back(a->body());
        }
        EXPECT_EQ(served, (std::vector<std::string>{first_thread, second_thread, first_thread, second_thread}));
        EXPECT_TRUE(server.shutdown_and_wait(1s, 5s));
        EXPECT_EQ(server.server_->open_connections(), 0u);
    }
}

}  // namespace
}  // namespace calrt::server
