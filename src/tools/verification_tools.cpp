// send_verification_code {email} and check_verification_code {email, code}.
#include "calrt/tools/verification_tools.hpp"

#include "calrt/core/input_validation.hpp"
#include "calrt/core/logging.hpp"
#include "tool_arguments.hpp"

namespace calrt::tools {
namespace asio = boost::asio;

namespace {

void count(VerificationToolContext& context, std::string_view name, std::string_view help, std::string outcome) {
    if (context.metrics != nullptr) context.metrics->counter(name, help, {{"outcome", std::move(outcome)}}).inc();
}

void count_send(VerificationToolContext& context, std::string outcome) {
    count(context, "calrt_verification_codes_total",
          "One-time codes asked for, by outcome (sent, send_failed, limited, unavailable)", std::move(outcome));
}

void count_check(VerificationToolContext& context, std::string outcome) {
    count(context, "calrt_verification_checks_total",
          "Codes checked, by outcome (verified, wrong, no_longer_valid, never_sent)", std::move(outcome));
}

}  // namespace

ToolSpec send_verification_code_spec() {
    ToolSpec spec;
    spec.name = "send_verification_code";
    spec.description =
        "Email a one-time 6-digit code to the person's address, to prove it is theirs before you look "
        "up, cancel or reschedule their bookings. Use it when someone wants to see or change a meeting "
        "they booked; ask for their email first and read it back. You never see the code: ask the "
        "person to read it from their email, then call check_verification_code.";
    spec.parameters = {{"type", "object"},
                       {"properties", {{"email", person_email_schema()}}},
                       {"required", nlohmann::json::array({"email"})},
                       {"additionalProperties", false}};
    // It sends mail: a response the person interrupted must not.
    spec.has_effect = true;
    return spec;
}

ToolSpec check_verification_code_spec() {
    ToolSpec spec;
    spec.name = "check_verification_code";
    spec.description =
        "Check the 6-digit code the person read from the email send_verification_code sent. Pass the "
        "digits exactly as they said them. When it answers verified, the email is proven for the rest "
        "of this conversation.";
    spec.parameters = {
        {"type", "object"},
        {"properties",
         {{"email", person_email_schema()},
          {"code", {{"type", "string"}, {"maxLength", 32}, {"description", "The digits the person read out."}}}}},
        {"required", nlohmann::json::array({"email", "code"})},
        {"additionalProperties", false}};
    return spec;
}

asio::awaitable<nlohmann::json> send_verification_code(VerificationToolContext& context,
                                                       const nlohmann::json& arguments) {
    auto email_argument = required_string_argument(arguments, "email");
    if (!email_argument) co_return error_result(email_argument.error());
    auto email = validate_email("email", *email_argument);
    if (!email) co_return error_result(email.error());
    if (!context.deliver) {
        count_send(context, "unavailable");
        co_return tool_error("self_service_unavailable",
                             "Looking up or changing bookings is not available here" +
                                 (context.unavailable_reason.empty() ? std::string(".")
                                                                     : " (" + context.unavailable_reason + ").") +
                                 " The person can use the links in their Calendly confirmation email.");
    }
    auto issued = context.codes.issue(context.conversation_id, *email, context.client_address);
    if (!issued) {
        count_send(context, "limited");
        co_return error_result(issued.error());
    }
    const auto valid_for = std::chrono::duration_cast<std::chrono::minutes>(context.codes.lifetime());
    // Built outside the co_await: GCC 12 mishandles aggregate temporaries inside one.
    CodeDelivery delivery{*email, std::move(issued->code), valid_for};
    auto delivered = co_await context.deliver(std::move(delivery));
    if (!delivered) {
        count_send(context, "send_failed");
        log::warn("verification code not delivered", {{"code", delivered.error().code}});
        co_return tool_error("code_not_sent",
                             "I could not send the code to that address. Check the address with the person, or "
                             "try again in a few minutes.");
    }
    count_send(context, "sent");
    co_return nlohmann::json{
        {"sent", true},
        {"email", *email},
        {"expires_in_minutes", valid_for.count()},
        {"message", "I sent a 6-digit code to " + *email + ". It expires in " + std::to_string(valid_for.count()) +
                        " minutes. Ask the person to read it to you from that email."}};
}

asio::awaitable<nlohmann::json> check_verification_code(VerificationToolContext& context,
                                                        const nlohmann::json& arguments) {
    auto email_argument = required_string_argument(arguments, "email");
    if (!email_argument) co_return error_result(email_argument.error());
    auto email = validate_email("email", *email_argument);
    if (!email) co_return error_result(email.error());
    auto said = required_string_argument(arguments, "code");
    if (!said) co_return error_result(said.error());
    switch (context.codes.check(context.conversation_id, *email, *said)) {
    case identity::CodeCheck::verified:
        count_check(context, "verified");
        co_return nlohmann::json{{"verified", true},
                                 {"email", *email},
                                 {"message", "The email " + *email + " is verified for this conversation."}};
    case identity::CodeCheck::wrong: {
        count_check(context, "wrong");
        const unsigned left = context.codes.attempts_left(context.conversation_id, *email);
        co_return tool_error("wrong_code", "That is not the code. " + std::to_string(left) +
                                               (left == 1 ? " attempt is" : " attempts are") +
                                               " left; ask the person to read it again.");
    }
    case identity::CodeCheck::no_longer_valid:
        count_check(context, "no_longer_valid");
        co_return tool_error("code_no_longer_valid",
                             "That code has expired, was already used or had too many wrong attempts. Offer to "
                             "send a new one.");
    case identity::CodeCheck::never_sent:
        break;
    }
    count_check(context, "never_sent");
    co_return tool_error("no_code_sent",
                         "No code was sent to that address in this conversation. Send one first with "
                         "send_verification_code.");
}

void register_verification_tools(ToolRegistry& registry, std::shared_ptr<VerificationToolContext> context) {
    registry.add(send_verification_code_spec(), [context](const nlohmann::json& arguments) {
        return send_verification_code(*context, arguments);
    });
    registry.add(check_verification_code_spec(), [context](const nlohmann::json& arguments) {
        return check_verification_code(*context, arguments);
    });
}

}  // namespace calrt::tools
