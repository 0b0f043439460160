#include "self_service_setup.hpp"

#include <stdexcept>

namespace calrt {

SelfServiceSetup::SelfServiceSetup(const Clock& clock, std::unique_ptr<identity::MailSender> sender)
    : codes(identity::CodePolicy{}, clock), mail(std::move(sender)), context{codes, mail.get()} {}

std::unique_ptr<SelfServiceSetup> set_up_self_service(const Config& config, const Clock& clock, bool sandbox,
                                                      Readiness& readiness) {
    const auto& settings = config.self_service;
    if (!settings.enabled) {
        readiness.set("self_service", true, "off (SELF_SERVICE=false)");
        return nullptr;
    }
    std::unique_ptr<identity::MailSender> sender;
    if (!settings.smtp_url.empty()) {
        identity::MailSettings mail;
        mail.url = settings.smtp_url.reveal();
        mail.from = settings.smtp_from;
        mail.username = settings.smtp_username;
        mail.password = settings.smtp_password;
        mail.ca_file = settings.smtp_ca_file;
        if (auto valid = identity::validate_mail_settings(mail); !valid) {
            throw std::runtime_error(valid.error().message);
        }
        sender = std::make_unique<identity::MailSender>(std::move(mail));
    }
    auto setup = std::make_unique<SelfServiceSetup>(clock, std::move(sender));
    setup->context.min_notice = std::chrono::hours(settings.min_notice_hours);
    setup->context.booking_requires_verified_email = settings.booking_requires_verified_email;
    if (setup->mail) {
        readiness.set("self_service", true, "one-time codes by mail through SMTP_URL");
    } else if (sandbox) {
        setup->context.codes_on_page = true;
        readiness.set("self_service", true, "sandbox: one-time codes appear on the page, no mail is sent");
    } else {
        setup->context.unavailable_reason = "no mail server is configured for the codes";
        readiness.set("self_service", true,
                      settings.booking_requires_verified_email
                          ? "unavailable: set SMTP_URL and SMTP_FROM so invitees can prove their email; until "
                            "then BOOKING_REQUIRES_VERIFIED_EMAIL leaves the assistant only booking links"
                          : "unavailable: set SMTP_URL and SMTP_FROM so invitees can prove their email");
    }
    return setup;
}

}  // namespace calrt
