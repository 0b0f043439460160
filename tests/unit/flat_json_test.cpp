// Reading flat JSON objects (strings and numbers only) without a parser, and refusing the rest.
#include "calrt/core/flat_json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace calrt {
namespace {

TEST(FlatJson, ReadsStringAndNumberMembersWithViewsIntoTheText) {
    const std::string text =
        R"( {"type":"response.output_audio.delta", "output_index" : 0,"delta":"AAAA","n":-12.5e+3} )";
    const auto object = FlatJsonObject::read(text);
    ASSERT_TRUE(object);
    ASSERT_EQ(object->size(), 4u);
    EXPECT_EQ(object->string("type"), "response.output_audio.delta");
    EXPECT_EQ(object->string("delta"), "AAAA");
    ASSERT_NE(object->find("output_index"), nullptr);
    EXPECT_FALSE(object->find("output_index")->is_string);
    EXPECT_EQ(object->find("output_index")->value, "0");
    EXPECT_EQ(object->find("n")->value, "-12.5e+3");
    EXPECT_FALSE(object->string("output_index"));  // a number, not a string
    EXPECT_FALSE(object->find("missing"));
    const auto delta = *object->string("delta");
    EXPECT_GE(delta.data(), text.data());
    EXPECT_LT(delta.data(), text.data() + text.size());
}

TEST(FlatJson, ReadsTheEmptyObjectAndNonAsciiText) {
    EXPECT_EQ(FlatJsonObject::read("{}")->size(), 0u);
    EXPECT_EQ(FlatJsonObject::read(R"({"name":"Zoë 東京"})")->string("name"), "Zoë 東京");
}

TEST(FlatJson, AnythingElseIsLeftToTheParser) {
    for (const char* text : {
             "",
             "[]",
             R"("type")",
             R"({"a":{"b":"c"}})",          // nested object
             R"({"a":["b"]})",              // array
             R"({"a":true})",               // literals are not read here
             R"({"a":null})",
             R"({"a":"b\"c"})",             // escape sequences
             R"({"a\u0041":"b"})",
             "{\"a\":\"b\x01\"}",          // a raw control character
             "{\"a\":\"b\xff\"}",          // not UTF-8
             R"({"a":"b","a":"c"})",        // a repeated key
             R"({"a":"b",})",               // trailing comma
             R"({"a":"b"} {})",             // trailing bytes
             R"({"a":"b")",                 // unterminated
             R"({"a":"b)",
             R"({"a":01})",                 // not JSON numbers
             R"({"a":1.})",
             R"({"a":-})",
             R"({"a":1e})",
             R"({"a":.5})",
             R"({a:"b"})",
             R"({"1":1,"2":2,"3":3,"4":4,"5":5,"6":6,"7":7,"8":8,"9":9})",  // more than fit
         }) {
        EXPECT_FALSE(FlatJsonObject::read(text)) << text;
    }
}

}  // namespace
}  // namespace calrt
