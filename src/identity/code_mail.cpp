#include "calrt/identity/code_mail.hpp"

#include "calrt/core/html_escape.hpp"

#include <string>

namespace calrt::identity {

MailMessage code_mail(std::string_view to, std::string_view host_name, std::string_view code,
                      std::chrono::minutes valid_for) {
    const std::string host = host_name.empty() ? std::string("your host") : std::string(host_name);
    const std::string minutes = std::to_string(valid_for.count());
    MailMessage mail;
    mail.to = std::string(to);
    mail.subject = std::string(code) + " is your code for managing meetings with " + host;
    mail.text = "Your code is " + std::string(code) + ".\r\n\r\n"
                "Tell it to the assistant you are talking to about your meetings with " + host +
                ". It works once and expires in " + minutes + " minutes.\r\n\r\n"
                "If you did not ask for a code, ignore this message: nothing changes without it.\r\n";
    mail.html = "<!doctype html><html><body style=\"font-family:sans-serif\">"
                "<p>Your code is</p><p style=\"font-size:28px;letter-spacing:4px\"><b>" +
                html_escape(code) + "</b></p><p>Tell it to the assistant you are talking to about your meetings with " +
                html_escape(host) + ". It works once and expires in " + minutes +
                " minutes.</p><p>If you did not ask for a code, ignore this message: nothing changes without it.</p>"
                "</body></html>";
    return mail;
}

}  // namespace calrt::identity
