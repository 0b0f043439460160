#include "calrt/tools/tool_registry.hpp"

#include "calrt/core/json_nesting.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "calrt/core/logging.hpp"
#include "calrt/tools/argument_validation.hpp"

namespace calrt::tools {
namespace asio = boost::asio;
using nlohmann::json;
using std::chrono::steady_clock;

namespace {

bool valid_tool_name(std::string_view name) {
    // OpenAI function names: letters, digits, underscores and dashes, at most 64 characters.
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

// A handler running under a deadline: whichever of "the handler finished" and "the deadline
// passed" comes first decides. Both sides touch this only on `strand`.
struct PendingCall {
    PendingCall(const asio::any_io_executor& strand, std::chrono::milliseconds timeout)
        : signal(strand, timeout) {}

    asio::steady_timer signal;  // expires at the deadline; cancelled when the handler finishes
    bool finished = false;
    json result;
    std::exception_ptr failure;
};

asio::awaitable<bool> wait_for_handler(std::shared_ptr<PendingCall> call) {
    if (!call->finished) co_await call->signal.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return call->finished;
}

}  // namespace

json tool_error(std::string_view code, std::string_view message) {
    return {{"error", {{"code", code}, {"message", message}}}};
}

struct ToolRegistry::Outcome {
    json result;
    std::string_view label;
};

ToolRegistry::ToolRegistry(MetricsRegistry& metrics)
    : metrics_(metrics), running_(std::make_shared<std::atomic<std::size_t>>(0)) {}

std::size_t ToolRegistry::running_handlers() const noexcept { return running_->load(); }

asio::awaitable<bool> ToolRegistry::wait_until_idle(std::chrono::milliseconds limit) const {
    // Polling is enough: this runs once, when a session ends with a timed-out tool still running.
    asio::steady_timer pause(co_await asio::this_coro::executor);
    const auto deadline = steady_clock::now() + limit;
    while (running_->load() > 0 && steady_clock::now() < deadline) {
        pause.expires_after(std::chrono::milliseconds(10));
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return running_->load() == 0;
}

void ToolRegistry::add(ToolSpec spec, ToolHandler handler) {
    if (!valid_tool_name(spec.name))
        throw std::invalid_argument("tool name '" + spec.name + "' is not valid");
    if (index_.contains(spec.name))
        throw std::invalid_argument("tool '" + spec.name + "' is registered twice");
    if (!spec.parameters.is_object() || spec.parameters.value("type", "") != "object") {
        throw std::invalid_argument("tool '" + spec.name +
                                    "' needs an object schema for its parameters");
    }
    if (!handler) throw std::invalid_argument("tool '" + spec.name + "' has no handler");
    index_.emplace(spec.name, tools_.size());
    tools_.push_back(Tool{std::move(spec), std::move(handler)});
}

json ToolRegistry::specs() const {
    json out = json::array();
    for (const auto& tool : tools_) {
        out.push_back({{"type", "function"},
                       {"name", tool.spec.name},
                       {"description", tool.spec.description},
                       {"parameters", tool.spec.parameters}});
    }
    return out;
}

std::vector<std::string> ToolRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& tool : tools_) out.push_back(tool.spec.name);
    return out;
}

bool ToolRegistry::contains(std::string_view name) const {
    return index_.find(name) != index_.end();
}

bool ToolRegistry::has_effect(std::string_view name) const {
    const auto found = index_.find(name);
    return found != index_.end() && tools_[found->second].spec.has_effect;
}

asio::awaitable<json> ToolRegistry::dispatch(std::string name, std::string arguments_json,
                                             std::chrono::milliseconds timeout) const {
    const auto started = steady_clock::now();
    const auto found = index_.find(name);
    if (found == index_.end()) {
        std::string known;
        for (const auto& tool : tools_) known += (known.empty() ? "" : ", ") + tool.spec.name;
        record("unknown", "unknown_tool", steady_clock::now() - started);
        co_return tool_error("unknown_tool", "there is no tool named '" + name.substr(0, 64) +
                                                 "'; the tools are: " + known);
    }
    const Tool& tool = tools_[found->second];
    Outcome outcome = co_await run(tool, arguments_json, timeout);
    record(tool.spec.name, outcome.label, steady_clock::now() - started);
    co_return std::move(outcome.result);
}

namespace {

// A named coroutine, not a lambda: GCC 12 destroys a coroutine lambda's by-value captures twice.
// Counts one handler from before it is spawned until its frame is gone, whether or not anyone
// still waits for its result.
class RunningHandler {
  public:
    explicit RunningHandler(std::shared_ptr<std::atomic<std::size_t>> count) : count_(std::move(count)) {
        ++*count_;
    }
    ~RunningHandler() { --*count_; }
    RunningHandler(const RunningHandler&) = delete;
    RunningHandler& operator=(const RunningHandler&) = delete;

  private:
    std::shared_ptr<std::atomic<std::size_t>> count_;
};

asio::awaitable<json> run_handler(ToolHandler handler, json arguments,
                                  std::unique_ptr<RunningHandler> running) {
    (void)running;  // held by the frame
    co_return co_await handler(arguments);
}

}  // namespace

asio::awaitable<ToolRegistry::Outcome> ToolRegistry::run(const Tool& tool,
                                                         std::string_view arguments_json,
                                                         std::chrono::milliseconds timeout) const {
    // The model writes the arguments, so they are outside text like any other: copying or
    // rendering a document nested a hundred thousand levels deep would exhaust the stack
    // (core/json_nesting.hpp), so the depth is checked before anything parses it.
    if (!json_nesting_within(arguments_json)) {
        co_return Outcome{tool_error("invalid_arguments",
                                     "the arguments nest deeper than " + std::to_string(kMaxJsonNesting) +
                                         " levels; send a flat JSON object"),
                          "invalid_arguments"};
    }
    // Models send "" for a call without arguments; that means {}.
    auto arguments = arguments_json.find_first_not_of(" \t\r\n") == std::string_view::npos
                         ? json::object()
                         : json::parse(arguments_json, nullptr, false);
    if (arguments.is_discarded()) {
        co_return Outcome{
            tool_error("invalid_arguments", "the arguments are not valid JSON; send a JSON object"),
            "invalid_arguments"};
    }
    if (auto problem = validate_arguments(tool.spec.parameters, arguments)) {
        co_return Outcome{tool_error("invalid_arguments", problem->describe()),
                          "invalid_arguments"};
    }

    auto executor = co_await asio::this_coro::executor;
    auto strand = asio::make_strand(executor);
    auto call = std::make_shared<PendingCall>(strand, timeout);
    asio::co_spawn(
        executor,
        run_handler(tool.handler, std::move(arguments), std::make_unique<RunningHandler>(running_)),
        asio::bind_executor(strand, [call](std::exception_ptr failure, json result) {
            call->finished = true;
            call->failure = failure;
            call->result = std::move(result);
            call->signal.cancel();
        }));
    const bool finished =
        co_await asio::co_spawn(strand, wait_for_handler(call), asio::use_awaitable);

    if (!finished) {
        co_return Outcome{
            tool_error("tool_timeout", "the tool took longer than " +
                                           std::to_string(timeout.count()) +
                                           " ms; tell the user it did not respond in time"),
            "timeout"};
    }
    if (call->failure) {
        try {
            std::rethrow_exception(call->failure);
        } catch (const std::exception& e) {
            log::error("tool handler threw", {{"tool", tool.spec.name}, {"what", e.what()}});
        } catch (...) {
            log::error("tool handler threw", {{"tool", tool.spec.name}});
        }
        co_return Outcome{
            tool_error("tool_failed",
                       "the tool failed unexpectedly; apologise and offer to try again"),
            "exception"};
    }
    const bool is_error = call->result.is_object() && call->result.contains("error");
    co_return Outcome{std::move(call->result), is_error ? "error" : "ok"};
}

void ToolRegistry::record(std::string_view tool_label, std::string_view outcome,
                          steady_clock::duration took) const {
    const auto seconds = std::chrono::duration<double>(took).count();
    metrics_
        .counter("calrt_tool_calls_total", "Assistant tool calls by tool and outcome",
                 {{"tool", std::string(tool_label)}, {"outcome", std::string(outcome)}})
        .inc();
    metrics_
        .histogram("calrt_tool_call_duration_seconds", "Assistant tool call duration",
                   {{"tool", std::string(tool_label)}})
        .observe(seconds);
    log::info("tool call", {{"tool", tool_label},
                            {"outcome", outcome},
                            {"duration_ms",
                             std::chrono::duration_cast<std::chrono::milliseconds>(took).count()}});
}

}  // namespace calrt::tools
