#include "chat_command.hpp"

#include "calrt/core/text.hpp"

#include "assistant_upstream.hpp"
#include "calendly_options.hpp"
#include "chat_transcript.hpp"
#include "sandbox.hpp"
#include "terminal_input.hpp"

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/realtime/assistant_instructions.hpp"
#include "calrt/realtime/realtime_session.hpp"
#include "calrt/tools/calendly_tools.hpp"
#include "calrt/tools/tool_registry.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

#include <iostream>

namespace calrt::app {
namespace asio = boost::asio;

namespace {

// A turn that has not ended by then (a stuck upstream) gives the prompt back.
constexpr std::chrono::minutes kTurnLimit{2};
// How long closing the session may take once the person has left.
constexpr std::chrono::seconds kCloseLimit{5};

struct Chat {
    const Config& config;
    calendly::CalendlyClient& calendly;
    const tools::ToolRegistry& tools;
    realtime::RealtimeSessionOptions options;
    const Clock& clock;
    bool sandbox_assistant;
    bool sandbox_calendly;
};

asio::awaitable<void> run_session(std::shared_ptr<realtime::RealtimeSession> session) {
    co_await session->run();  // its end reaches the transcript through on_session_ended
}

void print_banner(const Chat& chat, std::string_view host_name) {
    std::cout << "Chatting with "
              << (chat.sandbox_assistant ? std::string("the sandbox assistant (no OPENAI_API_KEY)")
                                         : "OpenAI Realtime (" + chat.config.openai.model + ")")
              << " about booking a meeting with " << (host_name.empty() ? "the host" : host_name)
              << (chat.sandbox_calendly ? " (sandbox Calendly data)" : "") << ".\n"
              << "Type a message and press Enter; /quit or end of input (Ctrl-D) ends the chat.\n"
              << std::flush;
}

asio::awaitable<int> converse(Chat& chat) {
    const auto executor = co_await asio::this_coro::executor;
    std::string host_name;
    if (auto host = co_await chat.calendly.current_user()) host_name = host->name;
    chat.options.instructions = realtime::assistant_instructions(host_name, chat.clock.now());

    auto transcript = std::make_shared<ChatTranscript>(executor, std::cout);
    auto connected =
        co_await realtime::RealtimeSession::connect(executor, chat.tools, chat.options, transcript);
    if (!connected) {
        std::cerr << "calendly-realtime: cannot reach the assistant: " << connected.error().message
                  << "\n";
        co_return 1;
    }
    auto session = std::move(*connected);
    print_banner(chat, host_name);
    asio::co_spawn(executor, run_session(session), asio::detached);

    TerminalInput input(executor);
    while (!transcript->ended()) {
        if (input.interactive()) std::cout << "you> " << std::flush;
        auto line = co_await input.next_line();
        if (!line) break;
        const std::string message(trim(*line));
        if (message == "/quit" || message == "/exit") break;
        if (message.empty() || transcript->ended()) continue;
        transcript->begin_turn();
        session->send_user_text(message);
        if (!co_await transcript->wait_for_turn(kTurnLimit)) {
            std::cout << "  [no answer within " << kTurnLimit.count() << " minutes]\n" << std::flush;
        }
    }

    int exit_code = 0;
    if (const auto& ended = transcript->ended()) {
        std::cerr << "calendly-realtime: the assistant ended the session: " << ended->message << "\n";
        exit_code = 1;
    } else {
        transcript->begin_turn();  // the session's end finishes this "turn"
        co_await session->close("the person left the chat");
        (void)co_await transcript->wait_for_turn(kCloseLimit);
    }
    // A tool still running after its dispatch timeout uses the Calendly client: let it finish.
    (void)co_await chat.tools.wait_until_idle(chat.options.tool_timeout);
    co_return exit_code;
}

}  // namespace

int run_chat_command(const Config& config, const std::vector<std::string>& words) {
    if (!words.empty()) {
        std::cerr << "usage: calendly-realtime chat [--sandbox] [--SETTING VALUE ...]\n";
        return 2;
    }
    // Info lines would interleave with the conversation; LOG_LEVEL=debug (or warn and above) is
    // still honoured.
    if (config.log.level == "info") log::configure("warn", config.log.format);

    // One thread: ChatTranscript relies on it.
    asio::io_context io(1);
    MetricsRegistry metrics;
    const SystemClock clock;
    TimeZoneCache time_zones;

    calendly::CalendlyClientOptions calendly_config = calendly_options(config.calendly);
    SandboxCalendly sandbox_calendly;
    if (config.calendly_sandbox()) {
        sandbox_calendly = start_sandbox_calendly(io, config.calendly.webhook_secret);
        use_sandbox_calendly(calendly_config, sandbox_calendly);
    }
    calendly::CalendlyClient calendly_client(io.get_executor(), calendly_config, metrics, clock);
    AssistantUpstream upstream = assistant_upstream(io, config);
    upstream.options.output_modalities = {"text"};

    tools::ToolRegistry tools(metrics);
    auto tool_context = std::make_shared<tools::CalendlyToolContext>(tools::CalendlyToolContext{
        calendly_client, config.calendly.fallback_url, time_zones, clock, {}, {}});
    tool_context->slots_seen_open = std::make_shared<tools::SlotsSeenOpen>();
    tools::register_calendly_tools(tools, tool_context);

    Chat chat{config,  calendly_client,           tools, upstream.options, clock,
              upstream.sandbox != nullptr, config.calendly_sandbox()};
    int exit_code = 1;
    asio::co_spawn(io, converse(chat), [&](std::exception_ptr failure, int code) {
        exit_code = code;
        io.stop();  // the fakes' listeners would keep it running
        if (failure) std::rethrow_exception(failure);
    });
    io.run();
    return exit_code;
}

}  // namespace calrt::app
