#pragma once
// What every REST endpoint of the fake OpenAI shares: OpenAI's error body
// {"error": {"message", "type", "param", "code"}} (openai-python APIError) and the Bearer check,
// whose answers are OpenAI's own wording for a missing and a wrong key.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "calrt/server/http_message.hpp"

namespace calrt::testing {

server::Response openai_error_response(unsigned status, std::string message, nlohmann::json code,
                                       nlohmann::json param = nullptr);

// nullopt when `request` carries "Authorization: Bearer <api_key>" (or api_key is empty); else
// the 401 OpenAI answers.
std::optional<server::Response> refuse_without_api_key(const server::Request& request,
                                                       const std::string& api_key);

}  // namespace calrt::testing
