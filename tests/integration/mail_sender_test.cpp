// Mail over SMTP through libcurl, against a real SMTP server (python3-aiosmtpd) on a loopback port:
// STARTTLS required, implicit TLS, login, an untrusted certificate, a refused recipient. The
// message is read back from what the server received.
#include "calrt/identity/mail_sender.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "support/running_smtp_server.hpp"

namespace calrt::identity {
namespace {

using test::RunningSmtpServer;
using test::SmtpServerOptions;

const MailMessage kMessage{"ada@example.com", "Your code for Dana Host: 123456", "Your code is 123456.",
                           "<p>Your code is <b>123456</b>.</p>"};

class MailSenderTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!RunningSmtpServer::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed (make test installs it)";
    }
    static MailSettings settings_for(const RunningSmtpServer& server) {
        MailSettings settings;
        settings.url = server.url();
        settings.from = "Dana Host <bookings@example.org>";
        settings.ca_file = server.ca_file();
        settings.timeout = std::chrono::seconds(10);
        return settings;
    }
};

TEST_F(MailSenderTest, DeliversOverStartTlsWithLoginAndBothParts) {
    RunningSmtpServer server(SmtpServerOptions{.user = "mailer", .password = "s3cret-pw"});
    MailSettings settings = settings_for(server);
    settings.username = Secret("mailer");
    settings.password = Secret("s3cret-pw");
    const MailSender sender(settings);

    const auto sent = sender.send_now(kMessage);

    ASSERT_TRUE(sent) << sent.error().message;
    const auto mails = server.wait_for(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_TRUE(mails[0].tls);
    EXPECT_TRUE(mails[0].authenticated);
    EXPECT_EQ(mails[0].mail_from, "bookings@example.org");
    EXPECT_EQ(mails[0].recipients, std::vector<std::string>{"ada@example.com"});
    EXPECT_NE(mails[0].raw.find("Subject: Your code for Dana Host: 123456\r\n"), std::string::npos);
    EXPECT_NE(mails[0].raw.find("From: Dana Host <bookings@example.org>\r\n"), std::string::npos);
    EXPECT_EQ(test::mail_part(mails[0].raw, "text/plain"), kMessage.text);
    EXPECT_EQ(test::mail_part(mails[0].raw, "text/html"), kMessage.html);
}

TEST_F(MailSenderTest, DeliversOverImplicitTls) {
    RunningSmtpServer server(SmtpServerOptions{.mode = "smtps"});
    const MailSender sender(settings_for(server));
    const auto sent = sender.send_now(kMessage);
    ASSERT_TRUE(sent) << sent.error().message;
    const auto mails = server.wait_for(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_TRUE(mails[0].tls);
}

TEST_F(MailSenderTest, RefusesAServerThatDoesNotOfferStartTls) {
    RunningSmtpServer server(SmtpServerOptions{.mode = "plain"});
    const MailSender sender(settings_for(server));
    const auto sent = sender.send_now(kMessage);
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().code, "mail_failed");
    EXPECT_NE(sent.error().message.find("STARTTLS"), std::string::npos) << sent.error().message;
    EXPECT_TRUE(server.received().empty());
}

TEST_F(MailSenderTest, RefusesACertificateNoTrustedAuthoritySigned) {
    RunningSmtpServer server;
    MailSettings settings = settings_for(server);
    settings.ca_file.clear();  // the system store does not know the test's CA
    const MailSender sender(settings);
    const auto sent = sender.send_now(kMessage);
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().code, "mail_failed");
    EXPECT_NE(sent.error().message.find("not trusted"), std::string::npos) << sent.error().message;
    EXPECT_TRUE(server.received().empty());
}

TEST_F(MailSenderTest, AWrongPasswordFailsWithoutRepeatingIt) {
    RunningSmtpServer server(SmtpServerOptions{.user = "mailer", .password = "right-pw"});
    MailSettings settings = settings_for(server);
    settings.username = Secret("mailer");
    settings.password = Secret("wrong-pw-9f8e");
    const MailSender sender(settings);
    const auto sent = sender.send_now(kMessage);
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().code, "mail_failed");
    EXPECT_NE(sent.error().message.find("SMTP_USERNAME/SMTP_PASSWORD"), std::string::npos) << sent.error().message;
    EXPECT_EQ(sent.error().message.find("wrong-pw-9f8e"), std::string::npos);
    EXPECT_TRUE(server.received().empty());
}

TEST_F(MailSenderTest, ARefusedRecipientIsAFailure) {
    RunningSmtpServer server(SmtpServerOptions{.refused_recipients = {"ada@example.com"}});
    const MailSender sender(settings_for(server));
    const auto sent = sender.send_now(kMessage);
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().code, "mail_failed");
    EXPECT_TRUE(server.received().empty());
}

TEST_F(MailSenderTest, SendResumesTheCallerOnItsOwnThread) {
    RunningSmtpServer server;
    MailSender sender(settings_for(server));
    boost::asio::io_context io;
    std::thread::id resumed_on;
    auto done = boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<Result<void>> {
            auto sent = co_await sender.send(kMessage);
            resumed_on = std::this_thread::get_id();
            co_return sent;
        },
        boost::asio::use_future);
    io.run();
    const auto sent = done.get();
    ASSERT_TRUE(sent) << sent.error().message;
    EXPECT_TRUE(resumed_on == std::this_thread::get_id());  // the io_context ran on this thread only
    EXPECT_EQ(server.wait_for(1).size(), 1u);
}

TEST(MailSettingsCheck, NamesWhatIsWrongWithoutRepeatingTheUrl) {
    const auto bad_url = validate_mail_settings({"http://user:pw@mail.example.org", "a@example.org"});
    ASSERT_FALSE(bad_url);
    EXPECT_NE(bad_url.error().message.find("SMTP_URL"), std::string::npos);
    EXPECT_EQ(bad_url.error().message.find("pw@"), std::string::npos);
    EXPECT_FALSE(validate_mail_settings({"smtp://", "a@example.org"}));
    EXPECT_FALSE(validate_mail_settings({"smtp://mail.example.org", "not an address"}));
    EXPECT_TRUE(validate_mail_settings({"smtps://mail.example.org:465", "Bookings <a@example.org>"}));
}

}  // namespace
}  // namespace calrt::identity
