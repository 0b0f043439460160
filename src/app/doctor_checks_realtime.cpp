// `doctor`'s Realtime check: open a session exactly as the service does (URL, model, key, the
// assistant's instructions and the four booking tools), wait for the API to accept the
// session.update (session.updated) or refuse it (an "error" event), then close the session before
// anything is said. No audio is sent, so no response is created.
#include "assistant_upstream.hpp"
#include "calendly_options.hpp"
#include "doctor_checks.hpp"

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/realtime/assistant_instructions.hpp"
#include "calrt/realtime/realtime_session.hpp"
#include "calrt/tools/calendly_tools.hpp"
#include "calrt/tools/tool_registry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace calrt::app {
namespace asio = boost::asio;

namespace {

constexpr std::chrono::seconds kCloseLimit{5};

// Learns how the session answered. Its callbacks and the doctor's coroutine share one thread (the
// doctor's io_context runs on one), so no lock is needed.
class SessionProbe final : public realtime::RealtimeObserver {
  public:
    explicit SessionProbe(asio::any_io_executor executor) : timer_(std::move(executor)) {}

    void on_server_event(std::string_view type, std::string_view raw_json) override {
        if (type != "session.updated" || answered()) return;
        const auto event = nlohmann::json::parse(raw_json, nullptr, false);
        session_ = event.is_object() && event.contains("session") ? event["session"] : nlohmann::json::object();
        accepted_ = true;
        timer_.cancel();
    }
    void on_upstream_error(const realtime::UpstreamError& error) override {
        if (answered()) return;
        error_ = error;
        timer_.cancel();
    }
    void on_session_ended(const Error& reason) override {
        ended_ = reason;
        timer_.cancel();
    }

    bool answered() const noexcept { return accepted_ || error_ || ended_; }
    bool accepted() const noexcept { return accepted_; }
    const nlohmann::json& session() const noexcept { return session_; }
    const std::optional<realtime::UpstreamError>& error() const noexcept { return error_; }
    const std::optional<Error>& ended() const noexcept { return ended_; }

    // Until the session answers (or ends), at most `limit`.
    asio::awaitable<void> wait_for_answer(std::chrono::milliseconds limit) {
        if (answered()) co_return;
        co_await wait(limit);
    }
    // Until the session has ended, at most `limit`.
    asio::awaitable<void> wait_for_end(std::chrono::milliseconds limit) {
        if (ended_) co_return;
        co_await wait(limit);
    }

  private:
    asio::awaitable<void> wait(std::chrono::milliseconds limit) {
        timer_.expires_after(limit);
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }

    asio::steady_timer timer_;
    bool accepted_ = false;
    nlohmann::json session_;
    std::optional<realtime::UpstreamError> error_;
    std::optional<Error> ended_;
};

asio::awaitable<void> run_session(std::shared_ptr<realtime::RealtimeSession> session) {
    co_await session->run();  // its end reaches the probe through on_session_ended
}

std::size_t tool_count(const nlohmann::json& session) {
    return session.is_object() && session.contains("tools") && session["tools"].is_array() ? session["tools"].size()
                                                                                           : 0;
}

}  // namespace

asio::awaitable<void> check_realtime_session(DoctorContext& context) {
    auto& report = context.report;
    // The session as the service opens it (assistant_upstream), but never the sandbox assistant.
    Config real = context.config;
    real.sandbox_requested = false;
    AssistantUpstream upstream = assistant_upstream(context.io, real);
    realtime::RealtimeSessionOptions options = upstream.options;
    options.instructions = realtime::assistant_instructions(context.host_name, context.clock.now());
    options.websocket.connect_timeout = context.session_timeout;

    // The service's own tools over a Calendly client that is never called (no tool runs: the
    // model is never asked anything).
    MetricsRegistry metrics;
    TimeZoneCache time_zones;
    calendly::CalendlyClient calendly(context.io.get_executor(), calendly_options(context.config.calendly), metrics,
                                      context.clock);
    tools::ToolRegistry tools(metrics);
    tools::register_calendly_tools(tools, std::make_shared<tools::CalendlyToolContext>(tools::CalendlyToolContext{
                                              calendly, context.config.calendly.fallback_url, time_zones,
                                              context.clock, {}, {}}));
    const std::size_t tools_sent = tools.specs().size();

    auto probe = std::make_shared<SessionProbe>(context.io.get_executor());
    auto connected = co_await realtime::RealtimeSession::connect(context.io.get_executor(), tools, options, probe);
    if (!connected) {
        const bool key_refused = connected.error().message.find("HTTP 401") != std::string::npos ||
                                 connected.error().message.find("HTTP 403") != std::string::npos;
        report.fail("openai.realtime", "no Realtime session: " + connected.error().message + ".",
                    key_refused ? "check OPENAI_API_KEY (and that its project may use the Realtime API)."
                                : "check OPENAI_REALTIME_URL and OPENAI_REALTIME_MODEL, and that this machine can "
                                  "reach the Realtime API.");
        calendly.stop();
        co_return;
    }
    auto session = std::move(*connected);
    asio::co_spawn(context.io, run_session(session), asio::detached);
    co_await probe->wait_for_answer(context.session_timeout);

    if (probe->accepted()) {
        const std::size_t kept = tool_count(probe->session());
        if (kept == tools_sent) {
            report.ok("openai.realtime", "a session with \"" + options.model + "\" opened and accepted the service's "
                                             "configuration with its " + std::to_string(tools_sent) + " tools.");
        } else {
            report.fail("openai.realtime", "the session accepted the configuration but holds " + std::to_string(kept) +
                                               " of the " + std::to_string(tools_sent) + " tools sent.",
                        "the assistant could not book: check OPENAI_REALTIME_MODEL supports function calling.");
        }
    } else if (probe->error()) {
        const auto& error = *probe->error();
        report.fail("openai.realtime",
                    "the session refused the service's configuration: " + error.type +
                        (error.code.empty() ? "" : " " + error.code) + ": " + error.message + ".",
                    "check OPENAI_REALTIME_MODEL (and the Realtime settings) against the model's documentation.");
    } else if (probe->ended()) {
        report.fail("openai.realtime", "the session ended before accepting the configuration: " +
                                           probe->ended()->message + ".",
                    "check OPENAI_REALTIME_MODEL and OPENAI_API_KEY.");
    } else {
        report.fail("openai.realtime",
                    "the session did not answer the configuration within " +
                        std::to_string(context.session_timeout.count()) + " ms.",
                    "run the doctor again; if it persists, check status.openai.com.");
    }
    if (!probe->ended()) {
        co_await session->close("calendly-realtime doctor: check done");
        co_await probe->wait_for_end(kCloseLimit);
        if (!probe->ended()) {
            session->abort("calendly-realtime doctor: close timed out");
            co_await probe->wait_for_end(kCloseLimit);  // run() ends before `tools` goes away
        }
    }
    calendly.stop();
}

}  // namespace calrt::app
