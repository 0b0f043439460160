#include "calrt/calendly/booking_link.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <gtest/gtest.h>

#include <map>

namespace calrt::calendly {
namespace {

using Params = std::multimap<std::string, std::string>;

// Decodes the query the way a browser's form decoder would (space_as_plus on) and the strict
// RFC 3986 way (off); a correctly encoded URL reads the same both ways.
Params decoded_params(const std::string& url, bool space_as_plus) {
    boost::urls::url_view view = boost::urls::parse_uri(url).value();
    Params params;
    boost::urls::encoding_opts opts;
    opts.space_as_plus = space_as_plus;
    for (auto param : view.params(opts)) params.emplace(param.key, param.value);
    return params;
}

std::string personalize(std::string_view base, BookingPrefill prefill) {
    auto url = personalize_booking_url(base, prefill);
    if (!url) ADD_FAILURE() << url.error().message;
    return url ? *url : std::string();
}

TEST(BookingLink, PrefillsNameEmailAndPurpose) {
    const std::string url = personalize("https://calendly.com/d/abcd-brv8/15-minute-meeting",
                                        {"Ada Lovelace", "ada@example.com", "Project kickoff", ""});
    EXPECT_EQ(url,
              "https://calendly.com/d/abcd-brv8/15-minute-meeting"
              "?name=Ada%20Lovelace&email=ada%40example.com&a1=Project%20kickoff");
}

TEST(BookingLink, ReservedAndNonAsciiCharactersRoundTrip) {
    const BookingPrefill prefill{"Jos\u00e9 M\u00fcller & C++ = 100% #1",
                                 "jose+calendar@example.com",
                                 "R\u00e9sum\u00e9 review \U0001F642 a/b?c;d", ""};
    const std::string url = personalize("https://calendly.com/acme/30min", prefill);
    for (bool space_as_plus : {true, false}) {
        const Params params = decoded_params(url, space_as_plus);
        ASSERT_EQ(params.size(), 3u) << url;
        EXPECT_EQ(params.find("name")->second, prefill.name) << url;
        EXPECT_EQ(params.find("email")->second, prefill.email) << url;
        EXPECT_EQ(params.find("a1")->second, prefill.purpose) << url;
    }
    EXPECT_EQ(url.find('+'), std::string::npos) << url;  // '+' would read as a space
    EXPECT_EQ(url.find(' '), std::string::npos) << url;
    EXPECT_NE(url.find("%F0%9F%99%82"), std::string::npos) << url;  // the emoji's UTF-8 bytes
    EXPECT_NE(url.find("Jos%C3%A9"), std::string::npos) << url;
}

TEST(BookingLink, TrackingTokenGoesInUtmContent) {
    EXPECT_EQ(personalize("https://calendly.com/d/abcd-brv8/30min", {"Ada", "", "", "calrt-1f2e"}),
              "https://calendly.com/d/abcd-brv8/30min?name=Ada&utm_content=calrt-1f2e");
}

TEST(BookingLink, KeepsExistingParametersAndFragment) {
    const std::string url = personalize("https://calendly.com/acme/30min?month=2024-05&back=1#top",
                                        {"Ada", "ada@example.com", "", ""});
    const Params params = decoded_params(url, true);
    EXPECT_EQ(params.find("month")->second, "2024-05");
    EXPECT_EQ(params.find("back")->second, "1");
    EXPECT_EQ(params.find("name")->second, "Ada");
    EXPECT_EQ(boost::urls::parse_uri(url).value().fragment(), "top");
}

TEST(BookingLink, ReplacesEarlierPrefillInsteadOfDuplicatingIt) {
    const std::string url =
        personalize("https://calendly.com/acme/30min?name=Old&email=old%40x.com",
                    {"New Name", "new@example.com", "", ""});
    const Params params = decoded_params(url, true);
    EXPECT_EQ(params.count("name"), 1u);
    EXPECT_EQ(params.find("name")->second, "New Name");
    EXPECT_EQ(params.find("email")->second, "new@example.com");
}

TEST(BookingLink, EmptyValuesAreLeftOut) {
    EXPECT_EQ(personalize("https://calendly.com/acme/30min", {"", "", "", ""}),
              "https://calendly.com/acme/30min");
    const Params params =
        decoded_params(personalize("https://calendly.com/acme/30min", {"Ada", "", "", ""}), true);
    EXPECT_EQ(params.size(), 1u);
    EXPECT_EQ(params.count("a1"), 0u);
}

TEST(BookingLink, HttpBaseWorksForTheSandbox) {
    EXPECT_EQ(personalize("http://127.0.0.1:4010/d/abc/30min", {"Ada", "", "", ""}),
              "http://127.0.0.1:4010/d/abc/30min?name=Ada");
}

TEST(BookingLink, RejectsBaseUrlsThatAreNotWebPages) {
    for (const char* base : {"", "calendly.com/acme", "/acme/30min", "ftp://calendly.com/acme",
                             "https://", "not a url at all", "javascript:alert(1)"}) {
        auto url = personalize_booking_url(base, {"Ada", "ada@example.com", "", ""});
        ASSERT_FALSE(url) << base;
        EXPECT_EQ(url.error().code, "invalid_booking_url") << base;
    }
}

TEST(BookingLink, RejectsInvalidUtf8) {
    for (const char* name : {"\xFF", "bad \xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
        auto url = personalize_booking_url("https://calendly.com/acme", {name, "", "", ""});
        ASSERT_FALSE(url);
        EXPECT_EQ(url.error().code, "invalid_prefill");
        EXPECT_EQ(url.error().kind, ErrorKind::invalid_argument);
    }
}

}  // namespace
}  // namespace calrt::calendly
