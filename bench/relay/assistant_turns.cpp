#include "assistant_turns.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <map>
#include <stdexcept>

#include "calrt/net/websocket_client.hpp"

namespace calrt::bench {
namespace asio = boost::asio;
using namespace std::chrono;
using nlohmann::json;

namespace {

constexpr std::string_view kTools[] = {"get_available_meeting_types", "check_meeting_availability",
                                       "book_meeting", "schedule_call"};

double ms(steady_clock::duration d) { return duration<double, std::milli>(d).count(); }

std::string utc_date(system_clock::time_point at) {
    const year_month_day date{floor<days>(at)};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
}

asio::awaitable<Result<net::WebSocket>> open_relay_session(asio::any_io_executor executor,
                                                           std::string url) {
    // Named arguments, not defaults: GCC 12 destroys a default argument's temporary twice when the
    // call is inside co_await.
    net::HeaderList headers;
    net::WebSocketOptions options;
    auto socket = co_await net::connect_websocket(executor, std::move(url), headers, options);
    if (!socket) co_return socket.error();
    for (;;) {
        auto message = co_await socket->read();
        if (!message) co_return message.error();
        if (message->find("\"type\":\"session.updated\"") != std::string::npos) break;
    }
    co_return std::move(*socket);
}

// Says `text` as the page does and reads until the answer that follows the tool's result is done;
// returns the tool result's output.
asio::awaitable<Result<json>> run_turn(net::WebSocket& socket, std::string text) {
    const json message = {{"type", "conversation.item.create"},
                          {"item",
                           {{"type", "message"},
                            {"role", "user"},
                            {"content", json::array({{{"type", "input_text"}, {"text", text}}})}}}};
    socket.send(message.dump());
    socket.send(R"({"type":"response.create"})");
    std::optional<json> result;
    for (;;) {
        auto received = co_await socket.read();
        if (!received) co_return received.error();
        const auto event = json::parse(*received, nullptr, false);
        const std::string type = event.is_object() ? event.value("type", "") : "";
        if (type == "calrt.tool_result") result = event["result"];
        if (type == "response.done" && result) {
            co_return Result<json>(boost::system::in_place_value, std::move(*result));
        }
        if (type == "error") {
            co_return Error::make(ErrorKind::upstream_failed, "turn_failed", event.dump());
        }
    }
}

template <class T>
T await_on(asio::io_context& io, asio::awaitable<T> task) {
    return asio::co_spawn(io, std::move(task), asio::use_future).get();
}

}  // namespace

std::vector<ToolTiming> time_tool_turns(asio::io_context& io, const std::string& relay_url,
                                        testing::FakeRealtime& realtime,
                                        testing::FakeCalendly& calendly, std::size_t rounds) {
    const std::size_t timings_before = realtime.tool_round_trips().size();
    std::map<std::string, ToolTiming, std::less<>> timings;
    const auto tomorrow = system_clock::now() + days(1);
    for (std::size_t round = 0; round < rounds; ++round) {
        auto opened = await_on(io, open_relay_session(io.get_executor(), relay_url));
        if (!opened) throw std::runtime_error("relay session: " + opened.error().message);
        net::WebSocket socket = std::move(*opened);
        const auto start = tomorrow + days(round);
        json booked_slot;
        for (std::size_t index = 0; index < std::size(kTools); ++index) {
            const std::string_view tool = kTools[index];
            json arguments = json::object();
            if (tool == "check_meeting_availability") {
                arguments = {{"event_type", "30min"},
                             {"start_date", utc_date(start)},
                             {"end_date", utc_date(start + days(20))},
                             {"timezone", "UTC"}};
            } else if (tool == "book_meeting") {
                arguments = {{"event_type", "30min"},
                             {"start_time", booked_slot},
                             {"name", "Bench Person"},
                             {"email", "bench" + std::to_string(round) + "@example.com"},
                             {"timezone", "UTC"}};
            } else if (tool == "schedule_call") {
                arguments = {{"name", "Bench Person"}, {"email", "bench@example.com"}};
            }
            // Unique across calls of this function too (the fake's script only grows), and no
            // phrase contains another.
            const std::string phrase = "[bench turn " + std::to_string(timings_before) + "-" +
                                       std::to_string(round) + "-" + std::to_string(index) + "]";
            realtime.on_user_text(phrase, testing::FakeTurn::calling({{std::string(tool), arguments}}));
            calendly.reset_counts();
            auto output = await_on(io, run_turn(socket, phrase));
            if (!output) throw std::runtime_error(std::string(tool) + ": " + output.error().message);
            if (output->contains("error")) {
                throw std::runtime_error(std::string(tool) + " answered an error: " + output->dump());
            }
            if (tool == "check_meeting_availability") {
                const auto& days_found = (*output)["days"];
                if (days_found.empty() || (*days_found.begin())["slots"].empty()) {
                    throw std::runtime_error("no open slot to book: " + output->dump());
                }
                booked_slot = (*days_found.begin())["slots"][0];
            }
            auto& timing = timings[std::string(tool)];
            timing.calendly_requests = calendly.request_count();
            timing.calendly_max_concurrent = calendly.max_concurrent_requests();
        }
        await_on(io, socket.close(net::close_code::normal, "bench round over"));
    }
    std::map<std::string, std::vector<double>, std::less<>> took;
    const auto trips = realtime.tool_round_trips();
    for (std::size_t i = timings_before; i < trips.size(); ++i) {
        took[trips[i].tools.at(0)].push_back(static_cast<double>(trips[i].took.count()) / 1000.0);
    }
    std::vector<ToolTiming> out;
    for (const auto tool : kTools) {
        auto timing = timings[std::string(tool)];
        timing.tool = tool;
        auto& samples = took[std::string(tool)];
        if (!samples.empty()) timing.first_ms = samples.front();
        timing.took = summarize(std::move(samples));
        out.push_back(std::move(timing));
    }
    return out;
}

LatencySummary time_session_starts(asio::io_context& io, const std::string& relay_url,
                                   std::size_t count) {
    std::vector<double> samples;
    for (std::size_t i = 0; i < count; ++i) {
        const auto started = steady_clock::now();
        auto opened = await_on(io, open_relay_session(io.get_executor(), relay_url));
        const auto took = steady_clock::now() - started;
        if (!opened) throw std::runtime_error("relay session: " + opened.error().message);
        samples.push_back(ms(took));
        await_on(io, opened->close(net::close_code::normal, "bench session over"));
    }
    return summarize(std::move(samples));
}

}  // namespace calrt::bench
