// The OpenAI Realtime adapter of PhoneCalls (phone_calls.hpp): the four call-control requests of
// openai-node src/resources/realtime/calls.ts and api_reference/openapi.transformed.yml.

#include "calrt/phone/phone_calls.hpp"

namespace calrt::phone {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

// OpenAI's error code from its body {"error": {"code": …}}, for the log and the message.
std::string openai_error_code(const std::string& body) {
    const json parsed = json::parse(body, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("error") || !parsed["error"].is_object()) return {};
    const json& code = parsed["error"].contains("code") ? parsed["error"]["code"] : json();
    return code.is_string() ? code.get<std::string>() : std::string();
}

class OpenAiPhoneCalls final : public PhoneCalls {
  public:
    OpenAiPhoneCalls(net::HttpClient& http, OpenAiPhoneCallsOptions options)
        : http_(http), options_(std::move(options)) {}

    asio::awaitable<Result<void>> accept(std::string call_id, json session) override {
        std::string body = session.dump();
        co_return co_await post(call_id, "accept", std::move(body));
    }

    asio::awaitable<Result<void>> reject(std::string call_id, unsigned sip_status) override {
        json object = json::object();
        object["status_code"] = sip_status;
        std::string body = object.dump();
        co_return co_await post(call_id, "reject", std::move(body));
    }

    asio::awaitable<Result<void>> refer(std::string call_id, std::string target_uri) override {
        json object = json::object();
        object["target_uri"] = std::move(target_uri);
        std::string body = object.dump();
        co_return co_await post(call_id, "refer", std::move(body));
    }

    asio::awaitable<Result<void>> hangup(std::string call_id) override {
        std::string no_body;
        co_return co_await post(call_id, "hangup", std::move(no_body));
    }

  private:
    asio::awaitable<Result<void>> post(const std::string& call_id, std::string_view action,
                                       std::string body) {
        net::HttpRequest request;
        request.method = "POST";
        // Call ids are "rtc_" and hex (the spec's example); anything that would need escaping in
        // a path is not one.
        if (call_id.empty() ||
            call_id.find_first_not_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
                std::string::npos) {
            co_return Error::make(ErrorKind::invalid_argument, "invalid_call_id",
                                  "the call id is not one OpenAI gives");
        }
        request.url =
            options_.api_base_url + "/realtime/calls/" + call_id + "/" + std::string(action);
        request.headers = {{"Authorization", "Bearer " + options_.api_key.reveal()},
                           {"Accept", "*/*"}};
        if (!body.empty()) {
            request.headers.emplace_back("Content-Type", "application/json");
            request.body = std::move(body);
        }
        request.timeout = options_.timeout;
        // Not idempotent as far as OpenAI says: a lost answer is not sent again (a second accept
        // could fail the call or, worse, configure it twice).
        request.idempotent = false;
        auto response = co_await http_.send(std::move(request));
        if (!response) co_return response.error();
        if (response->status == 200) co_return Result<void>{};
        const std::string code = openai_error_code(response->body);
        const std::string detail = "OpenAI answered " + std::to_string(response->status) +
                                   (code.empty() ? std::string() : " (" + code + ")") + " to the " +
                                   std::string(action) + " of call " + call_id;
        if (response->status == 404)
            co_return Error::make(ErrorKind::not_found, "call_not_found", detail);
        co_return Error::make(ErrorKind::upstream_failed, "call_control_failed", detail);
    }

    net::HttpClient& http_;
    const OpenAiPhoneCallsOptions options_;
};

}  // namespace

std::unique_ptr<PhoneCalls> make_openai_phone_calls(net::HttpClient& http,
                                                    OpenAiPhoneCallsOptions options) {
    return std::make_unique<OpenAiPhoneCalls>(http, std::move(options));
}

}  // namespace calrt::phone
