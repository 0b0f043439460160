#include "calrt/calendly/resource_uri.hpp"

#include <gtest/gtest.h>

namespace calrt::calendly {
namespace {

TEST(CalendlyUuid, AcceptsBothIdShapesCalendlyUses) {
    EXPECT_TRUE(is_calendly_uuid("c208a750-9214-4c62-9ee6-a1a9507c7b43"));
    EXPECT_TRUE(is_calendly_uuid("GBGBDCAADAEDCRZ2"));
    EXPECT_TRUE(is_calendly_uuid("AAAAAAAAAAAAAAAA"));
}

TEST(CalendlyUuid, RejectsAnythingThatIsNotOneSafePathSegment) {
    for (const char* text : {"", "../etc", "a/b", "a.b", "a%2Fb", "a?b", "a#b", "a b", "-abc",
                             "abc\n", "é"}) {
        EXPECT_FALSE(is_calendly_uuid(text)) << text;
    }
    EXPECT_FALSE(is_calendly_uuid(std::string(65, 'A')));
    EXPECT_TRUE(is_calendly_uuid(std::string(64, 'A')));
}

TEST(CalendlyUri, TakesTheTrailingUuid) {
    EXPECT_EQ(uuid_from_uri("https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA"),
              "AAAAAAAAAAAAAAAA");
    EXPECT_EQ(uuid_from_uri("http://127.0.0.1:8080/scheduled_events/c208a750-9214-4c62-9ee6-"
                            "a1a9507c7b43?x=1#frag"),
              "c208a750-9214-4c62-9ee6-a1a9507c7b43");
}

TEST(CalendlyUri, RefusesUrisThatAreNotResourceUris) {
    for (const char* uri : {"", "AAAAAAAAAAAAAAAA", "/event_types/AAAA", "ftp://x/event_types/AAAA",
                            "https:///event_types/AAAA", "https://api.calendly.com/AAAA",
                            "https://api.calendly.com/event_types/", "https://api.calendly.com/"
                            "event_types/..", "https://api.calendly.com/event_types/a%2Fb",
                            "https://api.calendly.com/Event-Types/AAAA"}) {
        EXPECT_FALSE(uuid_from_uri(uri)) << uri;
        EXPECT_FALSE(looks_like_calendly_uri(uri)) << uri;
    }
}

TEST(CalendlyUri, ChecksTheCollectionWhenAsked) {
    const char* uri = "https://api.calendly.com/event_types/AAAAAAAAAAAAAAAA";
    EXPECT_TRUE(looks_like_calendly_uri(uri));
    EXPECT_TRUE(looks_like_calendly_uri(uri, "event_types"));
    EXPECT_FALSE(looks_like_calendly_uri(uri, "users"));
}

// Found by fuzz/rest_body_fuzz: Boost.URL 1.81 fails an assertion (aborting any build without
// NDEBUG, the sanitizer preset's included) on a scheme with an empty path and then '?' or '#'.
// A caller sends such a value as event_type, uuid or uri.
TEST(CalendlyUri, ASchemeWithNothingButAQueryOrFragmentIsNoUri) {
    for (const char* text : {"https:?", "https:#", "http:?x=1", "x:?", "HTTPS:#frag"}) {
        EXPECT_FALSE(looks_like_calendly_uri(text, "event_types")) << text;
        EXPECT_FALSE(looks_like_calendly_uri(text)) << text;
        EXPECT_EQ(uuid_from_uri(text), std::nullopt) << text;
    }
}

}  // namespace
}  // namespace calrt::calendly
