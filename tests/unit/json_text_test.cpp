// append_json_string writes JSON string literals by hand (error bodies, log lines): whatever bytes
// it is given, the result must be a valid JSON string, and valid UTF-8 must come through unchanged.
#include "calrt/core/json_text.hpp"

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

}  // namespace
}  // namespace calrt
