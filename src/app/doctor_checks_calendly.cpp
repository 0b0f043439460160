// `doctor`'s Calendly checks: the token (GET /users/me), the host and organization, then the event
// types, availability, the plan, what scopes cannot be learned without writing, and the webhook.
#include "doctor_calendly_call.hpp"
#include "doctor_calendly_checks.hpp"

#include "calrt/calendly/page.hpp"

namespace calrt::app {
namespace asio = boost::asio;

namespace {

void report_token_failure(DoctorContext& context, const CalendlyCallOutcome& me) {
    auto& report = context.report;
    const std::string base = context.config.calendly.api_base_url;
    switch (me.kind) {
        case CalendlyCallOutcome::Kind::unauthorized:
            report.fail("calendly.token", "Calendly refused the token (" + me.what + ").",
                        "create a new personal access token in Calendly (Integrations > API & Webhooks) and set "
                        "CALENDLY_API_KEY to it.");
            return;
        case CalendlyCallOutcome::Kind::missing_scope:
            report.fail("calendly.token", "GET /users/me was refused: " + missing_scope_text(me, "users:read") + ".",
                        "create a token with the scopes listed in docs/operations.md and set CALENDLY_API_KEY.");
            return;
        case CalendlyCallOutcome::Kind::forbidden:
            report.fail("calendly.token", "GET /users/me was refused (" + me.what + ").",
                        "check the token's account in Calendly, or create a new token and set CALENDLY_API_KEY.");
            return;
        default:
            report.fail("calendly.token", "could not read the host user from " + base + ": " + me.what + ".",
                        me.status == 0 ? "check CALENDLY_API_BASE_URL and that this machine can reach it."
                                       : "try again later; if it persists, check status.calendly.com.");
    }
}

}  // namespace

asio::awaitable<void> check_calendly(DoctorContext& context) {
    auto& report = context.report;
    const auto& calendly = context.config.calendly;
    if (calendly.api_key.empty()) {
        report.fail("calendly.token",
                    "CALENDLY_API_KEY is not set: the service would serve sandbox data, not the host's calendar.",
                    "create a personal access token in Calendly (Integrations > API & Webhooks) with the scopes "
                    "listed in docs/operations.md and set CALENDLY_API_KEY.");
        co_return;
    }

    const auto me = co_await calendly_get(context, "/users/me");
    if (!me.ok()) {
        report_token_failure(context, me);
        co_return;
    }
    auto user = calendly::parse_resource<calendly::User>(me.body);
    if (!user) {
        report.fail("calendly.token", "GET /users/me answered something unreadable: " + user.error().message + ".",
                    "check that CALENDLY_API_BASE_URL is Calendly's API (https://api.calendly.com).");
        co_return;
    }
    report.ok("calendly.token", "accepted by " + calendly.api_base_url + " (GET /users/me).");
    context.host_name = user->name;
    const std::string host_uri = calendly.user_uri.empty() ? user->uri : calendly.user_uri;
    report.ok("calendly.host", user->name + " <" + user->email + ">, " + user->uri + ", time zone " + user->timezone +
                                   ", booking page " + user->scheduling_url + ".");
    if (!calendly.user_uri.empty() && calendly.user_uri != user->uri) {
        report.info("calendly.host", "CALENDLY_USER_URI names " + calendly.user_uri +
                                         ", not the token's own user: the service offers that user's meeting types.");
    }
    report.ok("calendly.organization", user->current_organization + ".");
    const bool organization_mode = co_await check_scope(context, *user);

    const auto offered = co_await check_event_types(context, host_uri);
    if (!offered.empty()) co_await check_availability(context, offered.front());

    // developer.calendly.com release note 2026-11-03, "Scheduling API on all Calendly plans":
    // POST /invitees "No longer requires a paid Calendly plan"; Free plan usage has endpoint
    // limits (release note 2026-04-15; rate-limits page). No read-only endpoint returns the plan.
    report.info("calendly.plan",
                "not checked: only a booking would tell. Since 2026-11-03 the Scheduling API is on every Calendly "
                "plan, Free included, with per-plan limits on bookings (e.g. trial: 5 a day, paid: 100 a day).",
                "if bookings are refused for the plan, the assistant offers single-use links instead and /readyz "
                "says so.");
    report.info("calendly.scopes",
                "not checked: scheduled_events:write (booking) and scheduling_links:write (single-use links); only a "
                "booking or a link would tell.",
                "make sure the token was created with them (docs/operations.md lists every scope the service uses).");

    co_await check_webhook_subscription(context, host_uri, user->current_organization, organization_mode);
}

}  // namespace calrt::app
