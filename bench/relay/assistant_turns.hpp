#pragma once
// What a person waits on besides the audio: the time a tool call costs between the model asking
// for it and the relay answering (measured by the fake Realtime, FakeToolRoundTrip), and the time
// from opening /api/realtime to the first session.updated reaching the page.

#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

#include "latency_summary.hpp"
#include "testing/fake_calendly/fake_calendly.hpp"
#include "testing/fake_realtime/fake_realtime.hpp"

namespace calrt::bench {

struct ToolTiming {
    std::string tool;
    double first_ms = 0;        // the first call, on a service whose caches are cold
    LatencySummary took;        // every call
    std::size_t calendly_requests = 0;        // what the last call asked Calendly
    std::size_t calendly_max_concurrent = 0;  // the most of them in flight at once
};

// `rounds` conversations through the relay at `relay_url`, one after the other, each calling the
// four tools once in turn: get_available_meeting_types; check_meeting_availability over 21 days
// (three 7-day Calendly windows), starting a day later each round; book_meeting of the first slot
// that check found; schedule_call. Throws std::runtime_error when a turn does not complete.
std::vector<ToolTiming> time_tool_turns(boost::asio::io_context& io, const std::string& relay_url,
                                        testing::FakeRealtime& realtime,
                                        testing::FakeCalendly& calendly, std::size_t rounds);

// `count` sessions opened one after the other; each is timed from the start of its connect to the
// first session.updated it reads, then closed.
LatencySummary time_session_starts(boost::asio::io_context& io, const std::string& relay_url,
                                   std::size_t count);

}  // namespace calrt::bench
