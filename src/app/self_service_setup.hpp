#pragma once
// Invitee self-service as configured (SELF_SERVICE, SMTP_*): the one-time codes, the mail sender
// and what the relay is handed, and the `self_service` readiness entry that says how codes reach
// people (or why they cannot).

#include "calrt/core/config.hpp"
#include "calrt/core/readiness.hpp"
#include "calrt/core/time.hpp"
#include "calrt/identity/mail_sender.hpp"
#include "calrt/identity/verification_codes.hpp"
#include "calrt/server/self_service_context.hpp"

#include <memory>

namespace calrt {

struct SelfServiceSetup {
    SelfServiceSetup(const Clock& clock, std::unique_ptr<identity::MailSender> sender);

    identity::VerificationCodes codes;
    std::unique_ptr<identity::MailSender> mail;
    server::SelfServiceContext context;
};

// Null when SELF_SERVICE is false. Throws std::runtime_error when SMTP_URL is set but it or
// SMTP_FROM is malformed (the message names the setting, never its value).
std::unique_ptr<SelfServiceSetup> set_up_self_service(const Config& config, const Clock& clock,
                                                      bool sandbox, Readiness& readiness);

}  // namespace calrt
