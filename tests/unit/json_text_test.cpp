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

std::string as_json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

TEST(JsonText, InvalidUtf8BytesBecomeReplacementCharacters) {
    const std::string out = as_json_string("a\xFF" "b\xC0\xAF" "c");
    const auto parsed = nlohmann::json::parse(out);  // throws on invalid UTF-8
    EXPECT_EQ(parsed.get<std::string>(), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c");
}

TEST(JsonText, ValidUtf8PassesThroughUnchanged) {
    const std::string text = "Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80";  // Zoë € 😀
    EXPECT_EQ(nlohmann::json::parse(as_json_string(text)).get<std::string>(), text);
}

TEST(JsonText, ControlCharactersAreEscaped) {
    EXPECT_EQ(as_json_string(std::string("a\x01\x7f", 3)), "\"a\\u0001\\u007f\"");
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
