#pragma once
// Sends mail over SMTP through libcurl (issue 23: a well-kept library, not a hand-written SMTP
// client). `smtp://` must upgrade with STARTTLS (a server that does not offer it is refused, so a
// code never crosses the network in clear) and `smtps://` is TLS from the first byte; either way the
// server's certificate is verified against the system store plus SMTP_CA_FILE, TLS 1.2 or later.
// libcurl's easy interface blocks, so sends run on threads of their own and the caller's coroutine
// resumes on its own executor: no I/O thread ever waits on a mail server.

#include "calrt/core/error.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/identity/mail_message.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace calrt::identity {

struct MailSettings {
    std::string url;          // SMTP_URL: smtp://host[:port] or smtps://host[:port]
    std::string from;         // SMTP_FROM: "Name <address>" or an address
    Secret username{};        // SMTP_USERNAME
    Secret password{};        // SMTP_PASSWORD
    std::string ca_file{};    // SMTP_CA_FILE: PEM of CAs trusted besides the system store
    std::chrono::seconds timeout{30};  // the whole exchange, connecting included
    unsigned threads = 2;     // sends in flight at once; more wait their turn
};

// What is wrong with SMTP_URL and SMTP_FROM, if anything. Messages never repeat the URL (it may
// carry credentials).
Result<void> validate_mail_settings(const MailSettings& settings);

class MailSender {
public:
    // Throws std::invalid_argument when validate_mail_settings() refuses the settings.
    explicit MailSender(MailSettings settings);
    ~MailSender();
    MailSender(const MailSender&) = delete;
    MailSender& operator=(const MailSender&) = delete;

    // Delivers `message` to the server, which accepted it when this succeeds. Errors:
    // upstream_failed `mail_failed` (refused, TLS or login failure; the message says which, without
    // secrets), upstream_timeout `mail_timeout`.
    boost::asio::awaitable<Result<void>> send(MailMessage message);

    // The same, blocking the calling thread (for `send` and for the command line).
    Result<void> send_now(const MailMessage& message) const;

private:
    struct Workers;
    MailSettings settings_;
    std::string from_address_;
    std::unique_ptr<Workers> workers_;
};

}  // namespace calrt::identity
