#include "simulated_call.hpp"

#include "chat_transcript.hpp"
#include "terminal_input.hpp"

#include "calrt/core/text.hpp"
#include "testing/fake_realtime/incoming_call_webhook.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <csignal>
#include <future>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace calrt::app {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using calrt::testing::FakeCallState;
using Steady = std::chrono::steady_clock;

namespace {

constexpr std::chrono::milliseconds kPollEvery{100};
// How long the caller waits for an answer (the greeting, or the answer to what they said) before
// the next line is read: a script piped in then reads as a conversation, not a burst.
constexpr std::chrono::seconds kAnswerLimit{30};

// What the reasons the service counts (calrt_phone_calls_total{reason}) mean, in words.
constexpr std::pair<std::string_view, std::string_view> kReasons[] = {
    {"blocked_number", "the number is in PHONE_BLOCKED_NUMBERS"},
    {"outside_hours", "outside PHONE_HOURS"},
    {"number_hourly_limit", "the number's calls this hour are used up"},
    {"number_daily_limit", "the number's calls today are used up"},
    {"daily_minutes_used", "the day's phone minutes are used up"},
    {"capacity", "every line is taken (PHONE_MAX_CALLS)"},
    {"conversation_over", "the assistant ended the call"},
    {"time_limit", "the call reached PHONE_MAX_CALL_MINUTES"},
    {"daily_minutes", "the day's phone minutes ran out"},
    {"responses", "the call reached REALTIME_SESSION_MAX_RESPONSES"},
    {"tool_calls", "the call reached its limit of tool calls"},
    {"shutdown", "the service shut down"},
    {"sideband_lost", "the service lost the call's sideband"},
    {"asked_for_human", "the caller asked for a person"},
    {"assistant_failed", "the assistant failed twice in a row"},
};

std::string in_words(std::string_view reason) {
    for (const auto& [code, words] : kReasons) {
        if (code == reason) return std::string(words);
    }
    return std::string(reason);
}

std::string sip_status_text(unsigned status) {
    // RFC 3261 §21.4.24 and §21.6.2.
    if (status == 486) return "486 Busy Here";
    if (status == 603) return "603 Decline";
    return std::to_string(status);
}

// The reason label of the service's calrt_phone_calls_total{outcome=`outcome`}, read from its
// metrics as /metrics shows them; nullopt while no such call is counted.
std::optional<std::string> counted_reason(const MetricsRegistry& metrics, std::string_view outcome) {
    std::istringstream lines(metrics.render());
    const std::string wanted = "outcome=\"" + std::string(outcome) + "\"";
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with("calrt_phone_calls_total{") || line.find(wanted) == std::string::npos) continue;
        if (line.ends_with(" 0")) continue;
        const auto at = line.find("reason=\"");
        if (at == std::string::npos) return std::string();
        const auto start = at + std::string_view("reason=\"").size();
        return line.substr(start, line.find('"', start) - start);
    }
    return std::nullopt;
}

std::optional<nlohmann::json> last_request_body(const SimulatedCall& call, const std::string& call_id,
                                                const std::string& action) {
    const auto requests = call.openai.calls().requests(call_id, action);
    if (requests.empty()) return std::nullopt;
    return requests.back().body;
}

// What is printed so far, shared by the caller's side and the watcher.
struct Shown {
    std::size_t tool_round_trips = 0;
    std::size_t answers = 0;
    bool at_prompt = false;  // "caller> " ends the last line: what comes next starts a line of its own
};

void leave_prompt(std::ostream& out, Shown& shown) {
    if (shown.at_prompt) out << "\n";
    shown.at_prompt = false;
}

struct CallInProgress {
    std::string call_id;
    Shown shown{};
    // Expires when the call is over at the other end (transferred, hung up by the service).
    asio::steady_timer over;
    // Expires when the person pressed Ctrl-C: the caller hangs up.
    asio::steady_timer interrupt;
    // Expires once how the call ended is printed: nothing waits for Ctrl-C any more.
    asio::steady_timer finished;
    bool interrupted = false;
};

// Expired rather than cancelled: a wait that starts later completes at once too.
void expire(asio::steady_timer& timer) { timer.expires_at(Steady::time_point::min()); }

asio::awaitable<void> wait_for(asio::steady_timer& timer) {
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

// Prints the tools the assistant ran and the answers it gave since the last time. A tool turn is
// recorded once its outputs are back, so its tools come before the answer they led to.
void print_new(const SimulatedCall& call, const std::string& call_id, Shown& shown) {
    const auto trips = call.openai.tool_round_trips();
    const auto said = call.openai.assistant_said(call_id);
    if (shown.tool_round_trips == trips.size() && shown.answers == said.size()) return;
    leave_prompt(call.out, shown);
    for (; shown.tool_round_trips < trips.size(); ++shown.tool_round_trips) {
        for (const auto& tool : trips[shown.tool_round_trips].tools) {
            call.out << "  [tool] " << tool << " (" << tool_activity(tool) << ")\n";
        }
    }
    for (; shown.answers < said.size(); ++shown.answers) {
        call.out << "assistant> " << printable(said[shown.answers]) << "\n";
    }
    call.out << std::flush;
}

std::string how_it_ended(const SimulatedCall& call, const std::string& call_id, FakeCallState state) {
    if (state == FakeCallState::ended) return "hung up (the caller hung up)";
    if (state == FakeCallState::referred) {
        std::string target = "?";
        if (auto body = last_request_body(call, call_id, "refer"); body && body->is_object()) {
            target = body->value("target_uri", target);
        }
        const auto reason = counted_reason(call.metrics, "transferred");
        return "transferred to " + printable(target) + (reason ? " (" + in_words(*reason) + ")" : "");
    }
    if (state == FakeCallState::hung_up) {
        const auto reason = counted_reason(call.metrics, "completed");
        return "hung up (" + (reason ? in_words(*reason) : std::string("by the service")) + ")";
    }
    return "ended: " + std::string(calrt::testing::to_string(state));
}

FakeCallState state_of(const SimulatedCall& call, const std::string& call_id) {
    return call.openai.calls().state(call_id).value_or(FakeCallState::ended);
}

asio::awaitable<void> pause(asio::steady_timer& timer) {
    timer.expires_after(kPollEvery);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

// Waits until more than `answers_before` answers are printed, or the call is over, or kAnswerLimit
// has passed: the prompt comes after the answer.
asio::awaitable<void> wait_for_answer(const SimulatedCall& call, const CallInProgress& progress,
                                      std::size_t answers_before) {
    asio::steady_timer tick(co_await asio::this_coro::executor);
    const auto give_up = Steady::now() + kAnswerLimit;
    while (!progress.interrupted && progress.shown.answers <= answers_before &&
           state_of(call, progress.call_id) == FakeCallState::accepted && Steady::now() < give_up) {
        co_await pause(tick);
    }
}

// The person at the terminal is the caller, until they hang up or the call ends at the other end
// (`call_over` then expires).
asio::awaitable<void> speak_as_caller(SimulatedCall& call, CallInProgress& progress) {
    const std::string& call_id = progress.call_id;
    TerminalInput input(co_await asio::this_coro::executor);
    co_await wait_for_answer(call, progress, 0);  // the greeting
    for (;;) {
        if (progress.interrupted) break;
        if (state_of(call, call_id) != FakeCallState::accepted) co_return;
        if (input.interactive()) {
            call.out << "caller> " << std::flush;
            progress.shown.at_prompt = true;
        }
        auto next = co_await (input.next_line() || wait_for(progress.over) || wait_for(progress.interrupt));
        if (next.index() == 1) co_return;
        if (next.index() == 2) break;
        progress.shown.at_prompt = false;  // the line typed ended it
        const auto& line = std::get<0>(next);
        if (!line) break;
        const std::string said(trim(*line));
        if (said.empty()) continue;
        if (said == "/hangup") break;
        if (said.starts_with("/press")) {
            try {
                call.openai.caller_presses(call_id, std::string(trim(std::string_view(said).substr(6))));
            } catch (const std::invalid_argument&) {
                call.out << "  [keys are 0-9, *, #, A-D: /press 123]\n" << std::flush;
            }
            continue;
        }
        if (said.starts_with('/')) {
            call.out << "  [commands: /press DIGITS, /hangup]\n" << std::flush;
            continue;
        }
        const std::size_t answers_before = progress.shown.answers;
        call.openai.caller_says(call_id, said);
        co_await wait_for_answer(call, progress, answers_before);
    }
    call.openai.caller_hangs_up(call_id);  // nothing happens when the call is already over
}

// Prints the call as it goes, and how it ended once the service has finished it (counted it
// completed) or wind_down_limit after its end.
asio::awaitable<void> watch_call(SimulatedCall& call, CallInProgress& progress) {
    const std::string& call_id = progress.call_id;
    Shown& shown = progress.shown;
    asio::steady_timer tick(co_await asio::this_coro::executor);
    std::optional<Steady::time_point> over_since;
    FakeCallState state = FakeCallState::accepted;
    for (;;) {
        print_new(call, call_id, shown);
        state = state_of(call, call_id);
        if (state != FakeCallState::accepted && !over_since) {
            over_since = Steady::now();
            expire(progress.over);
        }
        if (over_since && (counted_reason(call.metrics, "completed") ||
                           Steady::now() - *over_since > call.wind_down_limit)) {
            break;
        }
        co_await pause(tick);
    }
    print_new(call, call_id, shown);
    leave_prompt(call.out, shown);
    call.out << how_it_ended(call, call_id, state) << "\n" << std::flush;
    expire(progress.finished);
}

// Ctrl-C (or SIGTERM) while the call goes on: the caller hangs up.
asio::awaitable<void> hang_up_on_interrupt(const SimulatedCall& call, asio::signal_set& signals,
                                           CallInProgress& progress) {
    auto which = co_await (signals.async_wait(asio::as_tuple(asio::use_awaitable)) || wait_for(progress.finished));
    if (which.index() != 0 || std::get<0>(std::get<0>(which))) co_return;
    leave_prompt(call.out, progress.shown);
    call.out << "interrupted: the caller hangs up\n" << std::flush;
    progress.interrupted = true;
    expire(progress.interrupt);
}

}  // namespace

asio::awaitable<int> run_simulated_call(SimulatedCall call) {
    const auto executor = co_await asio::this_coro::executor;
    // Caught from the start, so that Ctrl-C while the call rings does not leave it half set up.
    asio::signal_set signals(executor, SIGINT, SIGTERM);
    calrt::testing::FakeIncomingCall incoming;
    incoming.from = "<sip:" + call.caller_number + "@simulated.invalid>";
    const auto delivery =
        calrt::testing::incoming_call_delivery(call.openai.calls(), std::move(incoming), call.webhook_secret.reveal());
    const std::string call_id = delivery.call_id;
    // send_webhook blocks until the route answers, and the route runs on this thread.
    auto answer = std::async(std::launch::async, [&delivery, url = call.webhook_url] {
        return calrt::testing::send_webhook(delivery, url);
    });
    call.out << "ringing…\n" << std::flush;

    asio::steady_timer tick(executor);
    const auto give_up = Steady::now() + call.ring_limit;
    bool answered = false;
    for (;;) {
        if (!answered && answer.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
            answered = true;
            const auto delivered = answer.get();
            if (!delivered || delivered->status != 200) {
                call.out << "the service did not take the call: "
                         << (delivered ? "HTTP " + std::to_string(delivered->status) + " " + printable(delivered->body)
                                       : std::string("no answer to its webhook"))
                         << "\n"
                         << std::flush;
                co_return 1;
            }
        }
        // The route answers before it accepts: both are awaited, so no request is left running.
        if (answered && state_of(call, call_id) != FakeCallState::ringing) break;
        if (Steady::now() > give_up) {
            call.out << "not answered within " << call.ring_limit.count() / 1000 << " s\n" << std::flush;
            co_return 1;
        }
        co_await pause(tick);
    }

    const FakeCallState state = state_of(call, call_id);
    if (state == FakeCallState::rejected) {
        unsigned status = 603;  // reject's default (openai-node openapi spec, RealtimeCallRejectRequest)
        if (auto body = last_request_body(call, call_id, "reject"); body && body->is_object()) {
            status = body->value("status_code", status);
        }
        const auto reason = counted_reason(call.metrics, "rejected");
        call.out << "rejected (" << sip_status_text(status) << (reason ? ": " + in_words(*reason) : "") << ")\n"
                 << std::flush;
        co_return 1;
    }
    if (state != FakeCallState::accepted) {
        call.out << "not accepted: " << calrt::testing::to_string(state) << "\n" << std::flush;
        co_return 1;
    }
    call.out << "accepted\n" << std::flush;

    CallInProgress progress{call_id, {}, asio::steady_timer(executor, Steady::time_point::max()),
                            asio::steady_timer(executor, Steady::time_point::max()),
                            asio::steady_timer(executor, Steady::time_point::max())};
    co_await (speak_as_caller(call, progress) && watch_call(call, progress) &&
              hang_up_on_interrupt(call, signals, progress));
    co_return progress.interrupted ? 130 : 0;  // 128 + SIGINT, as a shell reports it
}

}  // namespace calrt::app
