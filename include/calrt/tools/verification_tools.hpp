#pragma once
// The assistant's tools that prove a person owns an email address (issue 23):
// send_verification_code mails a six-digit code; check_verification_code checks what the person
// read back. The service makes and checks the codes (identity/verification_codes.hpp); no tool
// result carries a code, so the model can never say one. A proven address is bound to this one
// conversation: the booking-management tools ask is_verified() before telling or changing
// anything.

#include "calrt/core/error.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/time.hpp"
#include "calrt/identity/verification_codes.hpp"
#include "calrt/tools/tool_registry.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>

namespace calrt::tools {

// A code on its way to a person.
struct CodeDelivery {
    std::string email;
    std::string code;
    std::chrono::minutes valid_for{10};
};

// Mails the code (SMTP), or in sandbox mode shows it on the page's sandbox panel. An error means
// the person did not get it.
using CodeDeliverer = std::function<boost::asio::awaitable<Result<void>>(CodeDelivery delivery)>;

struct VerificationToolContext {
    identity::VerificationCodes& codes;
    // Empty: self-service is off (no SMTP_URL, or switched off); the tools say so and do nothing.
    CodeDeliverer deliver{};
    // Why self-service is off, for the model to pass on; used when `deliver` is empty.
    std::string unavailable_reason{};
    std::string conversation_id{};  // unique per conversation; codes and proofs are bound to it
    std::string client_address{};   // address_bucket() of the person's connection, for send limits
    MetricsRegistry* metrics = nullptr;
};

ToolSpec send_verification_code_spec();
ToolSpec check_verification_code_spec();

boost::asio::awaitable<nlohmann::json> send_verification_code(VerificationToolContext& context,
                                                              const nlohmann::json& arguments);
boost::asio::awaitable<nlohmann::json> check_verification_code(VerificationToolContext& context,
                                                               const nlohmann::json& arguments);

// Adds both tools; each handler keeps `context` alive while it runs.
void register_verification_tools(ToolRegistry& registry, std::shared_ptr<VerificationToolContext> context);

}  // namespace calrt::tools
