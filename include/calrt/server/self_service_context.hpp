#pragma once
// What the relay needs to offer invitee self-service (issue 23) in every conversation: the
// one-time codes (shared by all conversations of the process, each code bound to one) and how a
// code reaches the person. Borrowed; it must outlive the HttpServer, and `codes` the io_context
// too (a relay session's destructor, which may run as the io_context is destroyed, ends its
// conversation's codes).

#include "calrt/identity/mail_sender.hpp"
#include "calrt/identity/verification_codes.hpp"
#include "calrt/store/webhook_store.hpp"

#include <chrono>
#include <string>

namespace calrt::server {

struct SelfServiceContext {
    identity::VerificationCodes& codes;
    // SMTP_URL's sender; null without one.
    identity::MailSender* mail = nullptr;
    // Sandbox mode without SMTP_URL: a code is shown on the page's sandbox panel (calrt.sandbox_code)
    // and in the log, marked as sandbox, instead of being mailed.
    bool codes_on_page = false;
    // SELF_SERVICE_MIN_NOTICE_HOURS.
    std::chrono::hours min_notice{2};
    // Said by the tools when a code cannot be sent at all (no SMTP_URL outside sandbox mode).
    std::string unavailable_reason{};
    // BOOKING_REQUIRES_VERIFIED_EMAIL: book_meeting books only for an email proven in the conversation.
    bool booking_requires_verified_email = false;
    // Where every change is recorded (the self-service audit log); null: only the log line. It must
    // outlive every record still being written: the service destroys it only after the io_context
    // has run dry, and its destructor completes what it has started.
    store::WebhookStore* audit_log = nullptr;
};

}  // namespace calrt::server
