#include "testing/fake_realtime/openai_rest.hpp"

#include "calrt/core/secret.hpp"
#include "calrt/server/responses.hpp"

namespace calrt::testing {

server::Response openai_error_response(unsigned status, std::string message, nlohmann::json code,
                                       nlohmann::json param) {
    return server::json_response(status, {{"error",
                                           {{"message", std::move(message)},
                                            {"type", "invalid_request_error"},
                                            {"param", std::move(param)},
                                            {"code", std::move(code)}}}});
}

std::optional<server::Response> refuse_without_api_key(const server::Request& request,
                                                       const std::string& api_key) {
    if (api_key.empty()) return std::nullopt;
    const std::string_view authorization = request.header("Authorization");
    if (authorization.empty()) {
        return openai_error_response(
            401,
            "You didn't provide an API key. You need to provide your API key in an Authorization "
            "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            nullptr);
    }
    if (!constant_time_equal(authorization, "Bearer " + api_key)) {
        return openai_error_response(401,
                                     "Incorrect API key provided. You can find your API key at "
                                     "https://platform.openai.com/account/api-keys.",
                                     "invalid_api_key");
    }
    return std::nullopt;
}

}  // namespace calrt::testing
