#pragma once
// One read-only Calendly request for `doctor`, answered as what the report needs to know: it
// worked (with the body), the token was refused, the token lacks a scope (and which, when Calendly
// says), something else was refused, or Calendly could not be reached. No retries: the doctor
// reports what a single call sees.

#include "doctor_checks.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace calrt::app {

struct CalendlyCallOutcome {
    enum class Kind {
        ok,             // 2xx with a JSON body
        unauthorized,   // 401: the token is not accepted
        missing_scope,  // 403 that names a scope, or "Insufficient scope"
        forbidden,      // any other 403 (a plan or a permission)
        not_found,      // 404
        failed,         // another status, a body that is not JSON, or no answer at all
    };
    Kind kind = Kind::failed;
    unsigned status = 0;               // 0: no answer
    nlohmann::json body;               // kind ok: the answer
    std::vector<std::string> scopes;   // missing_scope: the scopes Calendly named (may be empty)
    std::string what;                  // not ok: what Calendly (or the network) said, for the report

    bool ok() const noexcept { return kind == Kind::ok; }
};

// GET {CALENDLY_API_BASE_URL}{path}?{query} (or `url` as it is, when it is absolute: a next page).
boost::asio::awaitable<CalendlyCallOutcome> calendly_get(
    DoctorContext& context, std::string path, const std::vector<std::pair<std::string, std::string>>& query = {});

// "the token lacks the scope webhooks:read" from what Calendly named, or `expected` when it named none.
std::string missing_scope_text(const CalendlyCallOutcome& outcome, std::string_view expected);

}  // namespace calrt::app
