#pragma once
// A real SMTP server on a 127.0.0.1 port for the test that starts it: Debian's python3-aiosmtpd
// running testing/smtp/test_smtp_server.py with a throwaway certificate (STARTTLS required by
// default), every accepted message kept as a file that the test reads back. Skips the test (not
// fails) when python3-aiosmtpd is missing; `make test` installs it.

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/tls_test_certificates.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace calrt::test {

struct SmtpServerOptions {
    std::string mode = "starttls";  // starttls | smtps | plain
    std::string user{};             // with a password: AUTH required
    std::string password{};
    std::vector<std::string> refused_recipients{};
};

struct ReceivedMail {
    std::string mail_from;
    std::vector<std::string> recipients;
    bool tls = false;
    bool authenticated = false;
    std::string raw;  // the message as DATA carried it
};

class RunningSmtpServer {
public:
    explicit RunningSmtpServer(SmtpServerOptions options = {});
    ~RunningSmtpServer();

    // Whether the server could be started (python3-aiosmtpd present); the caller skips if not.
    static bool available();

    std::uint16_t port() const { return port_; }
    // "smtp://127.0.0.1:<port>" or "smtps://…"
    std::string url() const;
    const std::string& ca_file() const;  // the CA that signed the server's certificate

    // Messages received so far, in order.
    std::vector<ReceivedMail> received() const;
    // Waits until `count` messages have arrived, or the deadline.
    std::vector<ReceivedMail> wait_for(std::size_t count,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

private:
    SmtpServerOptions options_;
    TempDir directory_;
    TestCertificates certificates_;
    std::string ca_file_;
    std::uint16_t port_ = 0;
    std::unique_ptr<ChildProcess> process_;
};

// The decoded text of the part of `raw` with Content-Type `type` (text/plain, text/html),
// undoing base64; "" when there is none.
std::string mail_part(const std::string& raw, const std::string& type);

}  // namespace calrt::test
