#pragma once
// The mail that carries a one-time code: the host's name and the code, nothing about any booking
// (whoever reads the mailbox learns only that someone asked for a code).

#include "calrt/identity/mail_message.hpp"

#include <chrono>
#include <string_view>

namespace calrt::identity {

MailMessage code_mail(std::string_view to, std::string_view host_name, std::string_view code,
                      std::chrono::minutes valid_for);

}  // namespace calrt::identity
