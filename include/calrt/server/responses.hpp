#pragma once
// The one place that turns results into HTTP responses: every error body in the service is
// {"error":{"code","message"}} built here (DESIGN.md "HTTP API"), plus
// "details":[{"parameter","message"}] when the error carries per-parameter problems (Calendly's).

#include "calrt/core/error.hpp"
#include "calrt/server/http_message.hpp"

#include <nlohmann/json_fwd.hpp>

namespace calrt::server {

Response error_response(const Error& error);
Response json_response(unsigned status, const nlohmann::json& body);
// For bodies already serialized (hot paths that cache their JSON).
Response json_text_response(unsigned status, std::string body);
// For a serialized body many responses share (a cached rendering): sent without a copy.
Response json_shared_response(unsigned status, std::shared_ptr<const std::string> body);

}  // namespace calrt::server
