#pragma once
// How much one relay session's browser may ask of the upstream Realtime session, beyond what each
// event may say (relay_policy.hpp). Every browser message is paid for by the host (a loop of
// response.create is a loop of model responses), so a session has rates and totals: response.create
// and user messages a minute, and messages, audio seconds and response.create in all. Each limit
// is a row of the table in relay_budget.cpp; breaking one closes the session with 1008 (policy
// violation) and that row's reason, documented in docs/api.md.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "calrt/core/config.hpp"

namespace calrt::server {

struct BudgetBreach {
    std::string_view limit;   // the row's name, also a metrics label: "messages", "audio", ...
    std::string_view reason;  // the close frame's reason
};

class SessionBudget {
  public:
    using Clock = std::chrono::steady_clock;

    // `config` is borrowed and must outlive the budget.
    SessionBudget(const RealtimeRelayConfig& config, Clock::time_point now);

    // Charges one browser message: every message counts; `upstream_event` is the event about to
    // go upstream (null when the relay refused it), charged by its type. On a breach nothing is
    // charged, and the event must not go upstream.
    std::optional<BudgetBreach> charge(const nlohmann::json* upstream_event, Clock::time_point now);

    // Counts a response the upstream created (its response.created event). One the browser asked
    // for was charged when its response.create went up and is not charged again; any other (the
    // server's own under voice activity with create_response, the answer after a tool call, a
    // live confirmation) is charged to the session's responses now (review N7), to the session
    // total only: a person talking fast is not a rate to close on. A breach when that goes past
    // the budget: the response exists upstream, so the session must end.
    std::optional<BudgetBreach> count_response_created();

    // Each row's name, in table order (for tests and docs).
    static std::vector<std::string_view> limits();

  private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point updated;
    };
    const RealtimeRelayConfig& config_;
    std::vector<double> used_;      // per meter, for the whole session
    std::vector<Bucket> buckets_;   // per row; used by the per-minute rows only
    // Browser response.create sent up and not yet matched by a response.created. One the API
    // refused (a response was already active) stays here and covers a later response: each
    // response is still paid for once.
    std::size_t responses_asked_ = 0;
};

}  // namespace calrt::server
