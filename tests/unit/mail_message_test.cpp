// The bytes of a code mail: headers that cannot be injected into, non-ASCII encoded, both parts.
#include "calrt/identity/mail_message.hpp"
#include "calrt/identity/code_mail.hpp"

#include <gtest/gtest.h>

namespace calrt::identity {
namespace {

const MailEnvelope kEnvelope{"Dana Host <bookings@example.org>",
                             Timestamp(std::chrono::milliseconds(1'796'601'600'000)),  // 2026-12-07T00:00:00Z
                             "calrt-boundary", "<id@example.org>"};

TEST(MailMessage, HasTheHeadersAndTwoBase64Parts) {
    const std::string mail = render_mail({"ada@example.com", "Your code", "text", "<p>html</p>"}, kEnvelope);
    EXPECT_EQ(mail.find("Date: Mon, 07 Dec 2026 00:00:00 +0000\r\n"), 0u);
    EXPECT_NE(mail.find("\r\nTo: ada@example.com\r\n"), std::string::npos);
    EXPECT_NE(mail.find("\r\nSubject: Your code\r\n"), std::string::npos);
    EXPECT_NE(mail.find("\r\nMessage-ID: <id@example.org>\r\n"), std::string::npos);
    EXPECT_NE(mail.find("multipart/alternative; boundary=\"calrt-boundary\""), std::string::npos);
    EXPECT_NE(mail.find("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\ndGV4dA==\r\n"),
              std::string::npos);
    EXPECT_NE(mail.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
    EXPECT_TRUE(mail.ends_with("--calrt-boundary--\r\n"));
}

TEST(MailMessage, ALineBreakInAHeaderValueCannotStartAHeader) {
    const std::string mail =
        render_mail({"ada@example.com\r\nBcc: everyone@example.com", "Hi\nBcc: x@example.com", "t", "h"}, kEnvelope);
    EXPECT_EQ(mail.find("\r\nBcc:"), std::string::npos);
    EXPECT_EQ(mail.find("\nBcc:"), std::string::npos);
}

TEST(MailMessage, NonAsciiHeaderTextIsEncodedAndTheAddressKept) {
    const std::string mail = render_mail({"ada@example.com", "Code für Jörg", "t", "h"},
                                         {"Jörg Host <j@example.org>", kEnvelope.date, "b", "<i@example.org>"});
    EXPECT_NE(mail.find("Subject: =?UTF-8?B?Q29kZSBmw7xyIErDtnJn?=\r\n"), std::string::npos);
    EXPECT_NE(mail.find("From: =?UTF-8?B?SsO2cmcgSG9zdA==?= <j@example.org>\r\n"), std::string::npos);
}

TEST(MailMessage, MailboxAddressIsTheBareAddress) {
    EXPECT_EQ(mailbox_address("Dana <d@example.org>"), "d@example.org");
    EXPECT_EQ(mailbox_address("d@example.org"), "d@example.org");
    EXPECT_EQ(mailbox_address("Dana <d@example.org"), "");
}

TEST(CodeMail, NamesTheHostAndTheCodeAndEscapesTheHtml) {
    const auto mail = code_mail("ada@example.com", "Dana <Sales> & Co", "042917", std::chrono::minutes(10));
    EXPECT_EQ(mail.to, "ada@example.com");
    EXPECT_EQ(mail.subject, "042917 is your code for managing meetings with Dana <Sales> & Co");
    EXPECT_NE(mail.text.find("Your code is 042917."), std::string::npos);
    EXPECT_NE(mail.text.find("expires in 10 minutes"), std::string::npos);
    EXPECT_NE(mail.html.find("<b>042917</b>"), std::string::npos);
    EXPECT_NE(mail.html.find("Dana &lt;Sales&gt; &amp; Co"), std::string::npos);
    EXPECT_EQ(mail.html.find("<Sales>"), std::string::npos);
}

}  // namespace
}  // namespace calrt::identity
