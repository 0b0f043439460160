// `doctor`'s OpenAI REST check: GET {OPENAI_API_BASE_URL}/models/{model} with the key tells whether
// the key is accepted, whether the model exists for it, and when the model shuts down.
#include "doctor_checks.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <cstdio>

namespace calrt::app {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kCurrentModel = "gpt-realtime-2.1";

// OpenAI's error body: {"error": {"message", "type", "param", "code"}}.
struct OpenAiError {
    std::string code;
    std::string message;
};

OpenAiError openai_error(const std::string& body) {
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    OpenAiError error;
    if (!parsed.is_object() || !parsed.contains("error") || !parsed["error"].is_object()) return error;
    const auto& object = parsed["error"];
    if (object.contains("code") && object["code"].is_string()) error.code = object["code"].get<std::string>();
    if (object.contains("message") && object["message"].is_string()) {
        error.message = object["message"].get<std::string>();
    }
    return error;
}

std::string said(unsigned status, const OpenAiError& error) {
    std::string text = "HTTP " + std::to_string(status);
    if (!error.code.empty()) text += " " + error.code;
    if (!error.message.empty()) text += ": " + error.message;
    return text;
}

std::optional<std::chrono::year_month_day> parse_date(const std::string& text) {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    char tail = 0;
    if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) != 3) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
    if (!date.ok()) return std::nullopt;
    return date;
}

std::string switch_model_remedy() {
    return "set OPENAI_REALTIME_MODEL to a current Realtime model (e.g. " + std::string(kCurrentModel) +
           ", see developers.openai.com/api/docs/deprecations).";
}

}  // namespace

// developers.openai.com/api/docs/deprecations: "check each model's optional shutdown_date field.
// When present, this field contains the shutdown date as a YYYY-MM-DD string, or null if no
// shutdown date has been announced; the field is also available from the Retrieve a model
// endpoint." (openai-python src/openai/types/model.py: `shutdown_date: Optional[str] = None`.)
CheckResult model_shutdown_check(std::string_view model, const nlohmann::json& shutdown_date, Timestamp today,
                                 std::chrono::days warn_within) {
    const std::string name = "\"" + std::string(model) + "\"";
    if (shutdown_date.is_null()) {
        return {CheckStatus::ok, "openai.model", name + " exists; no shutdown date is announced.", {}};
    }
    const auto date = shutdown_date.is_string() ? parse_date(shutdown_date.get<std::string>()) : std::nullopt;
    if (!date) {
        return {CheckStatus::warn, "openai.model",
                name + " exists, but its shutdown_date is unreadable: " + shutdown_date.dump() + ".",
                "look the model up on developers.openai.com/api/docs/deprecations."};
    }
    const std::string when = shutdown_date.get<std::string>();
    const auto left = std::chrono::sys_days(*date) - std::chrono::floor<std::chrono::days>(today);
    if (left.count() < 0) {
        return {CheckStatus::fail, "openai.model", name + " was shut down on " + when + ".", switch_model_remedy()};
    }
    if (left <= warn_within) {
        return {CheckStatus::warn, "openai.model",
                name + " shuts down on " + when + ", in " + std::to_string(left.count()) + " days.",
                "before then, " + switch_model_remedy()};
    }
    return {CheckStatus::ok, "openai.model",
            name + " exists; it shuts down on " + when + ", in " + std::to_string(left.count()) + " days.",
            {}};
}

asio::awaitable<bool> check_openai_model(DoctorContext& context) {
    auto& report = context.report;
    const auto& openai = context.config.openai;
    const std::string& base = context.config.deployment.openai_api_base_url;
    if (openai.api_key.empty()) {
        report.fail("openai.key", "OPENAI_API_KEY is not set: the service would use the sandbox assistant.",
                    "create a key at platform.openai.com/api-keys and set OPENAI_API_KEY.");
        co_return false;
    }
    auto parsed = boost::urls::parse_uri(base);
    if (!parsed) {
        report.fail("openai.key", "OPENAI_API_BASE_URL is not a usable URL.", "set it to https://api.openai.com/v1.");
        co_return false;
    }
    boost::urls::url url(*parsed);
    auto segments = url.segments();
    if (!segments.empty() && segments.back().empty()) segments.pop_back();  // a trailing '/'
    segments.push_back("models");
    segments.push_back(openai.model);

    net::HttpRequest request;
    request.url = std::string(url.buffer());
    request.headers = {{"Authorization", "Bearer " + openai.api_key.reveal()}};
    request.timeout = context.call_timeout;
    const auto response = co_await context.http.send(std::move(request));
    if (!response) {
        report.fail("openai.key", "no answer from " + base + ": " + response.error().message + ".",
                    "check OPENAI_API_BASE_URL and that this machine can reach it.");
        co_return false;
    }
    const OpenAiError error = openai_error(response->body);
    switch (response->status) {
        case 200: {
            const auto model = nlohmann::json::parse(response->body, nullptr, false);
            if (!model.is_object() || model.value("object", "") != "model") {
                report.fail("openai.model", "GET /models/" + openai.model + " answered something that is not a Model.",
                            "check that OPENAI_API_BASE_URL is OpenAI's API (https://api.openai.com/v1).");
                co_return true;
            }
            report.ok("openai.key", "accepted by " + base + ".");
            report.add(model_shutdown_check(openai.model, model.contains("shutdown_date") ? model["shutdown_date"]
                                                                                             : nlohmann::json(),
                                            context.clock.now()));
            co_return true;
        }
        case 401:
            // Not OpenAI's message: it quotes part of the key.
            report.fail("openai.key",
                        "OpenAI refused the key (HTTP 401" + (error.code.empty() ? "" : " " + error.code) + ").",
                        "create a key at platform.openai.com/api-keys and set OPENAI_API_KEY.");
            co_return false;
        case 404:
            report.ok("openai.key", "accepted by " + base + ".");
            report.fail("openai.model",
                        "\"" + openai.model + "\" does not exist or this key cannot use it (" +
                            said(response->status, error) + ").",
                        switch_model_remedy());
            co_return true;
        case 429:
            if (error.code == "insufficient_quota") {
                report.fail("openai.key", "the key's account has no quota left (" + said(429, error) + ").",
                            "add credit or raise the limit at platform.openai.com/settings/organization/billing.");
            } else {
                report.warn("openai.key", "OpenAI answered 429 (" + said(429, error) + "); the model was not checked.",
                            "run the doctor again in a minute.");
            }
            co_return true;
        default:
            report.fail("openai.model", "GET /models/" + openai.model + " failed (" + said(response->status, error) + ").",
                        response->status == 403 ? "check the key's project and its model permissions at "
                                                  "platform.openai.com."
                                                : "try again later; if it persists, check status.openai.com.");
            co_return true;
    }
}

}  // namespace calrt::app
