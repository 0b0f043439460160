#pragma once
// The assistant's tools: each a name, a description the model reads, a JSON schema for its
// arguments and an async handler. The Realtime session advertises specs() in session.update and
// runs the model's function calls through dispatch(), which never fails: every problem (unknown
// tool, bad JSON, arguments that break the schema, a timeout, an exception) becomes an error result
//   {"error": {"code": "...", "message": "..."}}
// that goes back to the model so it can recover (ask the user, retry, apologise). Each call is
// logged with its tool, duration and outcome (never its arguments: they hold names and emails) and
// counted in calrt_tool_calls_total{tool,outcome} and calrt_tool_call_duration_seconds{tool}.

#include <boost/asio/awaitable.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "calrt/core/metrics.hpp"

namespace calrt::tools {

struct ToolSpec {
    std::string name;         // [a-zA-Z0-9_-], what the model calls
    std::string description;  // what the tool does and when to use it, for the model
    nlohmann::json parameters = nlohmann::json::object();  // JSON schema of the arguments object
    // The tool changes something outside the conversation (books, makes a link). The Realtime
    // session runs such a call only once the model finished it in a response that was not
    // cancelled: a person who interrupts with "no, wait" must not get a booking.
    bool has_effect = false;
};

// Gets arguments already validated against ToolSpec::parameters. Returns the result for the model:
// data plus a short "message", or an error result (tool_error()). May throw only on bugs.
using ToolHandler =
    std::function<boost::asio::awaitable<nlohmann::json>(const nlohmann::json& arguments)>;

// {"error": {"code": code, "message": message}}
nlohmann::json tool_error(std::string_view code, std::string_view message);

// Outcome labels dispatch() records: "ok", "error" (the handler answered with an error result),
// "unknown_tool", "invalid_arguments", "timeout", "exception".
class ToolRegistry {
  public:
    explicit ToolRegistry(MetricsRegistry& metrics);
    ToolRegistry(const ToolRegistry&) = delete;
    ToolRegistry& operator=(const ToolRegistry&) = delete;

    // Called while wiring the service, before any dispatch. Throws std::invalid_argument for a
    // duplicate or malformed name or a schema that is not an object schema (start-up bug).
    void add(ToolSpec spec, ToolHandler handler);

    // The tools in the Realtime session format:
    // [{"type":"function","name","description","parameters"}, ...], in the order added.
    nlohmann::json specs() const;
    std::vector<std::string> names() const;
    bool contains(std::string_view name) const;
    // ToolSpec::has_effect of tool `name`; false for an unknown tool (its call only gets an error).
    bool has_effect(std::string_view name) const;

    // Runs tool `name` with `arguments_json` (the model's JSON text; empty means {}) and returns
    // its result, or an error result when the call cannot run or takes longer than `timeout` (a
    // handler still running then is left to finish on its own; its result is discarded). Safe to
    // call concurrently from any coroutine.
    boost::asio::awaitable<nlohmann::json> dispatch(std::string name, std::string arguments_json,
                                                    std::chrono::milliseconds timeout) const;

    // Handlers running now, including those still finishing after their dispatch timed out.
    std::size_t running_handlers() const noexcept;
    // Waits until no handler runs (checking every 10 ms), at most `limit`; true when none runs.
    // Whoever owns what the handlers borrow waits here before letting it go.
    boost::asio::awaitable<bool> wait_until_idle(std::chrono::milliseconds limit) const;

  private:
    struct Tool {
        ToolSpec spec;
        ToolHandler handler;
    };
    struct Outcome;

    boost::asio::awaitable<Outcome> run(const Tool& tool, std::string_view arguments_json,
                                        std::chrono::milliseconds timeout) const;
    void record(std::string_view tool_label, std::string_view outcome,
                std::chrono::steady_clock::duration took) const;

    MetricsRegistry& metrics_;
    // Shared with each handler's frame, which may outlive a timed-out dispatch.
    std::shared_ptr<std::atomic<std::size_t>> running_;
    std::vector<Tool> tools_;
    std::map<std::string, std::size_t, std::less<>> index_;
};

}  // namespace calrt::tools
