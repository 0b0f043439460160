#pragma once
// The checks `calendly-realtime doctor` runs, each adding its lines to the report. They only read:
// nothing is booked, no link is made, no subscription is created or deleted, and the Realtime
// session is closed before the model says anything. Every call has a timeout.

#include "doctor_report.hpp"

#include "calrt/core/config.hpp"
#include "calrt/core/time.hpp"
#include "calrt/net/http_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::app {

struct DoctorContext {
    boost::asio::io_context& io;
    const Config& config;
    net::HttpClient& http;
    const Clock& clock;
    DoctorReport& report;
    std::chrono::milliseconds call_timeout{10'000};     // each HTTP request
    std::chrono::milliseconds session_timeout{15'000};  // the Realtime session's answer to session.update

    // Learned by the Calendly checks for the later ones (empty when they could not learn it).
    std::string host_name{};
};

// Calendly: the token and its scopes, the host user and organization, the event types (which the
// assistant books directly, which only by link, and why), availability, the plan, the webhook
// subscription for PUBLIC_BASE_URL.
boost::asio::awaitable<void> check_calendly(DoctorContext& context);

// OpenAI: the key and the model (GET {OPENAI_API_BASE_URL}/models/{model}), its shutdown date.
// Returns whether the key was accepted (the Realtime check is pointless otherwise).
boost::asio::awaitable<bool> check_openai_model(DoctorContext& context);

// OpenAI Realtime: a session opens, accepts the service's session configuration with its tools
// (session.updated, not an error), and is closed.
boost::asio::awaitable<void> check_realtime_session(DoctorContext& context);

// The line for a model's Model.shutdown_date (a "YYYY-MM-DD" string; null or absent when none is
// announced), judged against `today`: FAIL once past, WARN within `warn_within`, else OK.
CheckResult model_shutdown_check(std::string_view model, const nlohmann::json& shutdown_date, Timestamp today,
                                 std::chrono::days warn_within = std::chrono::days(60));

}  // namespace calrt::app
