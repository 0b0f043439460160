#include "doctor_calendly_call.hpp"

#include "calrt/calendly/calendly_error.hpp"
#include "calrt/net/url_query.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace calrt::app {
namespace {

std::string calendly_said(unsigned status, const nlohmann::json& body) {
    std::string text = "HTTP " + std::to_string(status);
    if (!body.is_object()) return text;
    const std::string title = body.value("title", "");
    const std::string message = body.value("message", "");
    if (!title.empty()) text += " " + title;
    if (!message.empty()) text += ": " + message;
    return text;
}

}  // namespace

boost::asio::awaitable<CalendlyCallOutcome> calendly_get(DoctorContext& context, std::string path,
                                                         const std::vector<std::pair<std::string, std::string>>& query) {
    CalendlyCallOutcome outcome;
    const bool absolute = path.starts_with("http://") || path.starts_with("https://");
    const std::string target = absolute ? path : context.config.calendly.api_base_url + path;  // the view's text
    auto parsed = boost::urls::parse_uri_reference(target);
    if (!parsed) {
        outcome.what = "CALENDLY_API_BASE_URL does not make a usable URL";
        co_return outcome;
    }
    boost::urls::url url(*parsed);
    for (const auto& [key, value] : query) net::append_query_param(url, key, value);

    net::HttpRequest request;
    request.method = "GET";
    request.url = std::string(url.buffer());
    request.headers = {{"Authorization", "Bearer " + std::string(context.config.calendly.api_key.reveal())},
                       {"Accept", "application/json"}};
    request.timeout = context.call_timeout;
    auto response = co_await context.http.send(std::move(request));
    if (!response) {
        outcome.what = "no answer from " + context.config.calendly.api_base_url + " (" + response.error().message + ")";
        co_return outcome;
    }
    outcome.status = response->status;
    auto body = nlohmann::json::parse(response->body, nullptr, false);
    if (body.is_discarded()) body = nlohmann::json();
    if (response->status >= 200 && response->status < 300) {
        if (body.is_null()) {
            outcome.what = "HTTP " + std::to_string(response->status) + " without a JSON body";
            co_return outcome;
        }
        outcome.kind = CalendlyCallOutcome::Kind::ok;
        outcome.body = std::move(body);
        co_return outcome;
    }
    outcome.what = calendly_said(response->status, body);
    // What the answer means is decided where the service decides it (calendly_error.hpp): a 401,
    // a 403 that is a plan or a meeting that cannot be canceled, or a missing permission whose
    // `required_scopes` come back as details.
    const Error error = calendly::error_from_calendly_response(response->status, response->body);
    if (error.code == "calendly_auth_failed") {
        outcome.kind = CalendlyCallOutcome::Kind::unauthorized;
    } else if (error.code == "calendly_permission_denied") {
        for (const auto& detail : error.details) {
            if (detail.parameter == "required_scopes") outcome.scopes.push_back(detail.message);
        }
        // developer.calendly.com: 403 is "Permission denied or insufficient scope"; a scope
        // refusal is titled "Insufficient scope" and may list `required_scopes`.
        const bool scope_named = !outcome.scopes.empty() || outcome.what.find("scope") != std::string::npos;
        outcome.kind = scope_named ? CalendlyCallOutcome::Kind::missing_scope : CalendlyCallOutcome::Kind::forbidden;
    } else if (response->status == 403) {
        outcome.kind = CalendlyCallOutcome::Kind::forbidden;
    } else if (error.code == "calendly_not_found") {
        outcome.kind = CalendlyCallOutcome::Kind::not_found;
    }
    co_return outcome;
}

std::string missing_scope_text(const CalendlyCallOutcome& outcome, std::string_view expected) {
    std::string scopes;
    for (const auto& scope : outcome.scopes) scopes += (scopes.empty() ? "" : ", ") + scope;
    if (scopes.empty()) scopes = std::string(expected);
    return "the token lacks the scope " + scopes + " (" + outcome.what + ")";
}

}  // namespace calrt::app
