// JSON text written without a document (error bodies, log lines) is valid UTF-8 JSON whatever
// bytes it is given, and nesting is measured before anything parses (review items L7 and the
// deep-webhook crash of issue 9).
#include "calrt/core/json_nesting.hpp"
#include "calrt/core/json_text.hpp"
#include "calrt/core/utf8.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace calrt {
namespace {

std::string literal(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

// What a strict JSON reader makes of the literal; fails the test when it is not valid JSON.
std::string read_back(std::string_view text) {
    const auto parsed = nlohmann::json::parse(literal(text), nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << "not valid JSON: " << literal(text);
    return parsed.is_string() ? parsed.get<std::string>() : std::string();
}

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

TEST(JsonText, EscapesQuotesBackslashesAndControlCharacters) {
    EXPECT_EQ(literal("a\"b\\c\nd\x01"), R"("a\"b\\c\nd\u0001")");
}

TEST(JsonText, KeepsValidUtf8Unchanged) {
    const std::string text = "caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80 \xEF\xBF\xBF";
    EXPECT_EQ(literal(text), "\"" + text + "\"");
}

TEST(JsonText, ReplacesAByteThatIsNotUtf8SoTheOutputStaysValidJson) {
    // A percent-decoded query value echoed in an error message: "2026-%CC5-03".
    EXPECT_EQ(read_back("2026-\xCC" "5-03"), "2026-" + kReplacement + "5-03");
    EXPECT_EQ(read_back("\xFF\xFE"), kReplacement + kReplacement);
    EXPECT_EQ(read_back("\x80"), kReplacement);  // a continuation byte on its own
}

TEST(JsonText, ReplacesASequenceCutShortByTruncation) {
    // A message that quotes the first N bytes of the input can cut a character in two.
    EXPECT_EQ(read_back("ab\xE4\xB8"), "ab" + kReplacement + kReplacement);
    EXPECT_EQ(read_back("\xF0\x9F\x98"), kReplacement + kReplacement + kReplacement);
}

TEST(JsonText, ReplacesOverlongFormsAndSurrogates) {
    EXPECT_EQ(read_back("\xC0\xAF"), kReplacement + kReplacement);          // overlong '/'
    EXPECT_EQ(read_back("\xE0\x80\xAF"), kReplacement + kReplacement + kReplacement);
    EXPECT_EQ(read_back("\xED\xA0\x80"), kReplacement + kReplacement + kReplacement);  // U+D800
    EXPECT_EQ(read_back("\xF4\x90\x80\x80"),  // above U+10FFFF
              kReplacement + kReplacement + kReplacement + kReplacement);
}

TEST(JsonText, ControlCharactersAreEscaped) {
    EXPECT_EQ(literal(std::string("a\x01\x7f", 3)), "\"a\\u0001\\u007f\"");
}

TEST(Utf8, RejectsOverlongFormsSurrogatesAndOutOfRange) {
    EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // overlong NUL
    EXPECT_FALSE(is_valid_utf8("\xE0\x80\x80"));      // overlong
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800, a surrogate
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // cut short
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
    EXPECT_TRUE(is_valid_utf8("plain"));
}

TEST(Utf8, ABadSequenceIsFoundWhereverItFallsInALongAsciiText) {
    // Long ASCII runs are checked a word at a time: a bad byte at every offset of a word, and
    // a sequence split across two words, are still seen.
    for (std::size_t offset = 0; offset < 24; ++offset) {
        std::string text(40, 'A');
        text[offset] = '\xC0';  // never valid
        EXPECT_FALSE(is_valid_utf8(text)) << "offset " << offset;
        std::string split(40, 'A');
        split.replace(offset, 3, "\xE2\x82\xAC");  // the euro sign
        EXPECT_TRUE(is_valid_utf8(split)) << "offset " << offset;
        split[offset + 2] = 'A';  // its last byte gone
        EXPECT_FALSE(is_valid_utf8(split)) << "offset " << offset;
    }
    EXPECT_TRUE(is_valid_utf8(std::string(1000, 'A') + "\xF4\x8F\xBF\xBF"));
}

TEST(JsonNesting, CountsOnlyBracketsOutsideStrings) {
    EXPECT_EQ(json_nesting_depth(R"({"a":[1,{"b":"[[[["}]})"), 3u);
    EXPECT_EQ(json_nesting_depth(R"("\"{{{")"), 0u);
    EXPECT_EQ(json_nesting_depth("[]"), 1u);
}

TEST(JsonNesting, ALimitStopsADeepTextEarly) {
    const std::string deep(200'000, '[');
    EXPECT_FALSE(json_nesting_within(deep));
    EXPECT_TRUE(json_nesting_within(std::string(kMaxJsonNesting, '{')));
    EXPECT_FALSE(json_nesting_within(std::string(kMaxJsonNesting + 1, '{')));
}

}  // namespace
}  // namespace calrt
