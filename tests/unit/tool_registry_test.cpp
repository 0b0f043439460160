// The tool registry: the Realtime tools format, and dispatch turning every failure into an error
// result the model can recover from.
#include "calrt/tools/tool_registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "calrt/core/logging.hpp"
#include "support/io_threads.hpp"

namespace calrt::tools {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const json kGreetSchema = {{"type", "object"},
                           {"properties", {{"name", {{"type", "string"}}}}},
                           {"required", json::array({"name"})}};

class ToolRegistryTest : public ::testing::Test {
  protected:
    ToolRegistryTest() {
        log::configure("warn", "text");  // the registry logs every call at info
        registry.add(
            {"greet", "Greets someone by name.", kGreetSchema},
            [this](const json& arguments) -> boost::asio::awaitable<json> {
                ++greet_calls;
                co_return json{{"message", "Hello, " + arguments["name"].get<std::string>() + "!"}};
            });
    }
    ~ToolRegistryTest() override { io.stop(); }

    json dispatch(std::string name, std::string arguments, std::chrono::milliseconds timeout = 1s) {
        return io.run(registry.dispatch(std::move(name), std::move(arguments), timeout));
    }

    test::IoThreads io;
    MetricsRegistry metrics;
    ToolRegistry registry{metrics};
    std::atomic<int> greet_calls{0};
};

TEST_F(ToolRegistryTest, SpecsUseTheRealtimeFunctionFormat) {
    const json specs = registry.specs();
    ASSERT_EQ(specs.size(), 1u);
    EXPECT_EQ(specs[0], (json{{"type", "function"},
                              {"name", "greet"},
                              {"description", "Greets someone by name."},
                              {"parameters", kGreetSchema}}));
}

TEST_F(ToolRegistryTest, RefusesDuplicateNamesAndNonObjectSchemas) {
    auto handler = [](const json&) -> boost::asio::awaitable<json> { co_return json::object(); };
    EXPECT_THROW(registry.add({"greet", "again", kGreetSchema}, handler), std::invalid_argument);
    EXPECT_THROW(registry.add({"list", "bad schema", {{"type", "array"}}}, handler),
                 std::invalid_argument);
    EXPECT_THROW(registry.add({"has space", "bad name", kGreetSchema}, handler),
                 std::invalid_argument);
}

TEST_F(ToolRegistryTest, DispatchRunsTheHandlerWithParsedArguments) {
    EXPECT_EQ(dispatch("greet", R"({"name":"Ada"})"), (json{{"message", "Hello, Ada!"}}));
    EXPECT_EQ(greet_calls, 1);
}

TEST_F(ToolRegistryTest, UnknownToolAnswersAnErrorNamingTheTools) {
    const json result = dispatch("fly", "{}");
    EXPECT_EQ(result["error"]["code"], "unknown_tool");
    EXPECT_NE(result["error"]["message"].get<std::string>().find("greet"), std::string::npos);
}

TEST_F(ToolRegistryTest, MalformedJsonAnswersInvalidArguments) {
    EXPECT_EQ(dispatch("greet", R"({"name":)")["error"]["code"], "invalid_arguments");
    EXPECT_EQ(greet_calls, 0);
}

TEST_F(ToolRegistryTest, ArgumentsBreakingTheSchemaNeverReachTheHandler) {
    const json result = dispatch("greet", R"({"name":42})");
    EXPECT_EQ(result["error"]["code"], "invalid_arguments");
    EXPECT_EQ(result["error"]["message"], "name: must be a string");
    EXPECT_EQ(greet_calls, 0);
}

TEST_F(ToolRegistryTest, ArgumentsNestedTooDeeplyNeverReachTheHandler) {
    // A schema that lets any extra property through: only the depth check stands in the way.
    const std::string deep = R"({"name":"Ada","extra":)" + std::string(100'000, '[') +
                             std::string(100'000, ']') + "}";
    const json result = dispatch("greet", deep);
    EXPECT_EQ(result["error"]["code"], "invalid_arguments");
    EXPECT_NE(result["error"]["message"].get<std::string>().find("nest deeper than 64"), std::string::npos);
    EXPECT_EQ(greet_calls, 0);
}

TEST_F(ToolRegistryTest, EmptyArgumentsMeanAnEmptyObject) {
    registry.add({"ping", "Answers pong.", {{"type", "object"}}},
                 [](const json& arguments) -> boost::asio::awaitable<json> {
                     co_return json{{"pong", arguments.is_object() && arguments.empty()}};
                 });
    EXPECT_EQ(dispatch("ping", ""), (json{{"pong", true}}));
}

TEST_F(ToolRegistryTest, SlowHandlerAnswersTimeoutWithoutWaitingForIt) {
    registry.add({"slow", "Never answers in time.", {{"type", "object"}}},
                 [](const json&) -> boost::asio::awaitable<json> {
                     boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                                     10s);
                     co_await timer.async_wait(boost::asio::use_awaitable);
                     co_return json::object();
                 });
    const auto started = std::chrono::steady_clock::now();
    const json result = dispatch("slow", "{}", 30ms);
    EXPECT_EQ(result["error"]["code"], "tool_timeout");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(ToolRegistryTest, HandlerLeftRunningAfterItsTimeoutIsCountedUntilItEnds) {
    registry.add({"late", "Answers after the deadline.", {{"type", "object"}}},
                 [](const json&) -> boost::asio::awaitable<json> {
                     boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                                     200ms);
                     co_await timer.async_wait(boost::asio::use_awaitable);
                     co_return json::object();
                 });
    EXPECT_EQ(registry.running_handlers(), 0u);
    EXPECT_EQ(dispatch("late", "{}", 20ms)["error"]["code"], "tool_timeout");
    EXPECT_EQ(registry.running_handlers(), 1u);
    EXPECT_FALSE(io.run(registry.wait_until_idle(1ms)));
    EXPECT_TRUE(io.run(registry.wait_until_idle(5s)));
    EXPECT_EQ(registry.running_handlers(), 0u);
    dispatch("greet", R"({"name":"Ada"})");
    EXPECT_EQ(registry.running_handlers(), 0u);  // a finished call leaves no count behind
}

TEST_F(ToolRegistryTest, ThrowingHandlerAnswersToolFailed) {
    registry.add({"broken", "Throws.", {{"type", "object"}}},
                 [](const json&) -> boost::asio::awaitable<json> {
                     throw std::logic_error("bug");
                     co_return json::object();
                 });
    EXPECT_EQ(dispatch("broken", "{}")["error"]["code"], "tool_failed");
}

TEST_F(ToolRegistryTest, CountsCallsByToolAndOutcome) {
    dispatch("greet", R"({"name":"Ada"})");
    dispatch("greet", R"({})");
    dispatch("fly", "{}");
    const std::string text = metrics.render();
    EXPECT_NE(text.find(R"(calrt_tool_calls_total{tool="greet",outcome="ok"} 1)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(R"(calrt_tool_calls_total{tool="greet",outcome="invalid_arguments"} 1)"),
              std::string::npos);
    EXPECT_NE(text.find(R"(calrt_tool_calls_total{tool="unknown",outcome="unknown_tool"} 1)"),
              std::string::npos);
    EXPECT_NE(text.find(R"(calrt_tool_call_duration_seconds_count{tool="greet"} 2)"),
              std::string::npos);
}

TEST_F(ToolRegistryTest, HandlerErrorResultCountsAsError) {
    registry.add({"refuse", "Always says no.", {{"type", "object"}}},
                 [](const json&) -> boost::asio::awaitable<json> {
                     co_return tool_error("not_available", "that slot is taken");
                 });
    EXPECT_EQ(dispatch("refuse", "{}"),
              (json{{"error", {{"code", "not_available"}, {"message", "that slot is taken"}}}}));
    EXPECT_NE(metrics.render().find(R"(calrt_tool_calls_total{tool="refuse",outcome="error"} 1)"),
              std::string::npos);
}

}  // namespace
}  // namespace calrt::tools
