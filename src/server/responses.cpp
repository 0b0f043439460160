#include "calrt/server/responses.hpp"

#include "calrt/core/json_text.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {

Response error_response(const Error& error) {
    Response response;
    response.status = http_status_of(error.kind);
    response.body.reserve(48 + error.code.size() + error.message.size());
    response.body += R"({"error":{"code":)";
    append_json_string(response.body, error.code);
    response.body += R"(,"message":)";
    append_json_string(response.body, error.message);
    if (!error.details.empty()) {
        response.body += R"(,"details":[)";
        for (std::size_t i = 0; i < error.details.size(); ++i) {
            if (i > 0) response.body += ',';
            response.body += R"({"parameter":)";
            append_json_string(response.body, error.details[i].parameter);
            response.body += R"(,"message":)";
            append_json_string(response.body, error.details[i].message);
            response.body += '}';
        }
        response.body += ']';
    }
    response.body += "}}";
    if (error.retry_after) response.set_header("Retry-After", std::to_string(error.retry_after->count()));
    return response;
}

Response json_response(unsigned status, const nlohmann::json& body) {
    // Replace invalid UTF-8 rather than throw: upstream data must never turn into a 500.
    return json_text_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response json_text_response(unsigned status, std::string body) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    return response;
}

Response json_shared_response(unsigned status, std::shared_ptr<const std::string> body) {
    Response response;
    response.status = status;
    response.shared_body = std::move(body);
    return response;
}

}  // namespace calrt::server
