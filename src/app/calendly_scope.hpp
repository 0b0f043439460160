#pragma once
// One host or a whole organization (DESIGN.md, CALENDLY_SCOPE). Unset, it is detected from the
// token: an owner's or admin's token of an organization with more than one member serves the
// organization; anything else, and a detection Calendly did not answer, serves the token's user
// as today (set CALENDLY_SCOPE=organization not to depend on Calendly at start-up).

#include "calrt/calendly/calendly_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <string>

namespace calrt::app {

struct CalendlyScope {
    bool organization = false;
    std::string why;  // for the log: how it was decided
};

boost::asio::awaitable<CalendlyScope> decide_calendly_scope(calendly::CalendlyClient& client,
                                                            std::string configured);

// Runs decide_calendly_scope on `io` (which the caller runs later) until it has decided, or for
// `patience` at most (then: the token's user, as when Calendly does not answer).
CalendlyScope decide_calendly_scope_now(boost::asio::io_context& io, calendly::CalendlyClient& client,
                                        std::string configured,
                                        std::chrono::milliseconds patience = std::chrono::seconds(5));

}  // namespace calrt::app
