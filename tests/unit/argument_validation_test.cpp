// The argument validator: the JSON-Schema rules our tools use, and the formats.
#include "calrt/tools/argument_validation.hpp"

#include <gtest/gtest.h>

namespace calrt::tools {
namespace {

using nlohmann::json;

const json kBookingSchema = json::parse(R"({
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 5},
        "email": {"type": "string", "format": "email"},
        "start_time": {"type": "string", "format": "date-time"},
        "day": {"type": "string", "format": "date"},
        "duration": {"type": "integer", "minimum": 15, "maximum": 120},
        "kind": {"type": "string", "enum": ["call", "visit"]},
        "invitee": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}},
                    "required": ["email"]}
    },
    "required": ["name", "email"],
    "additionalProperties": false
})");

std::optional<ArgumentProblem> validate(const char* arguments) {
    return validate_arguments(kBookingSchema, json::parse(arguments));
}

TEST(ArgumentValidation, AcceptsArgumentsThatFitTheSchema) {
    EXPECT_FALSE(
        validate(R"({"name":"Ada","email":"ada@example.com","start_time":"2030-01-31T15:00:00Z",
                             "day":"2030-01-31","duration":30,"kind":"call","invitee":{"email":"b@example.org"}})"));
}

TEST(ArgumentValidation, ReportsMissingRequiredArgument) {
    auto problem = validate(R"({"name":"Ada"})");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->path, "email");
    EXPECT_EQ(problem->describe(), "email: is required");
}

TEST(ArgumentValidation, ReportsWrongType) {
    auto problem = validate(R"({"name":"Ada","email":"ada@example.com","duration":"30"})");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->describe(), "duration: must be an integer");
}

TEST(ArgumentValidation, AcceptsIntegralNumberWrittenWithFraction) {
    EXPECT_FALSE(validate(R"({"name":"Ada","email":"ada@example.com","duration":30.0})"));
    EXPECT_TRUE(validate(R"({"name":"Ada","email":"ada@example.com","duration":30.5})"));
}

TEST(ArgumentValidation, ReportsNumberOutsideItsRange) {
    auto problem = validate(R"({"name":"Ada","email":"ada@example.com","duration":5})");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->describe(), "duration: must be at least 15");
}

TEST(ArgumentValidation, ReportsValueOutsideEnumListingTheChoices) {
    auto problem = validate(R"({"name":"Ada","email":"ada@example.com","kind":"party"})");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->describe(), R"(kind: must be one of "call", "visit")");
}

TEST(ArgumentValidation, CountsMaxLengthInCharactersNotBytes) {
    EXPECT_FALSE(
        validate(R"({"name":"Zoë Ü","email":"ada@example.com"})"));  // 5 characters, 7 bytes
    auto problem = validate(R"({"name":"Adaline","email":"ada@example.com"})");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->describe(), "name: must be at most 5 characters");
}

TEST(ArgumentValidation, ReportsEmptyStringBelowMinLength) {
    auto problem = validate(R"({"name":"","email":"ada@example.com"})");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->path, "name");
}

TEST(ArgumentValidation, ReportsMalformedEmail) {
    auto problem = validate(R"({"name":"Ada","email":"ada at example.com"})");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->describe(), "email: must be an email address");
}

TEST(ArgumentValidation, ReportsDateTimeWithoutOffset) {
    auto problem =
        validate(R"({"name":"Ada","email":"ada@example.com","start_time":"2030-01-31T15:00:00"})");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->path, "start_time");
}

TEST(ArgumentValidation, ReportsUnknownArgumentWhenAdditionalPropertiesIsFalse) {
    auto problem = validate(R"({"name":"Ada","email":"ada@example.com","phone":"123"})");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->describe(), "phone: is not a known argument");
}

TEST(ArgumentValidation, NamesThePathIntoNestedObjects) {
    auto problem =
        validate(R"({"name":"Ada","email":"ada@example.com","invitee":{"email":"nope"}})");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->describe(), "invitee.email: must be an email address");
}

TEST(ArgumentValidation, ReportsArgumentsThatAreNotAnObject) {
    auto problem = validate("[]");
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->describe(), "the arguments must be an object");
}

TEST(ArgumentFormats, EmailAddresses) {
    EXPECT_TRUE(is_email_address("ada.lovelace+calls@mail.example.co.uk"));
    EXPECT_FALSE(is_email_address("ada@localhost"));
    EXPECT_FALSE(is_email_address("@example.com"));
    EXPECT_FALSE(is_email_address("ada@@example.com"));
    EXPECT_FALSE(is_email_address("ada@-example.com"));
    EXPECT_FALSE(is_email_address("ada@example..com"));
    EXPECT_FALSE(is_email_address("a da@example.com"));
}

TEST(ArgumentFormats, Rfc3339DateTimes) {
    EXPECT_TRUE(is_rfc3339_date_time("2030-01-31T15:00:00Z"));
    EXPECT_TRUE(is_rfc3339_date_time("2030-01-31t15:00:00.123456z"));
    EXPECT_TRUE(is_rfc3339_date_time("2028-02-29T23:59:60+05:30"));  // leap year, leap second
    EXPECT_FALSE(is_rfc3339_date_time("2029-02-29T10:00:00Z"));
    EXPECT_FALSE(is_rfc3339_date_time("2030-01-31 15:00:00Z"));
    EXPECT_FALSE(is_rfc3339_date_time("2030-01-31T24:00:00Z"));
    EXPECT_FALSE(is_rfc3339_date_time("2030-01-31T15:00:00.Z"));
    EXPECT_FALSE(is_rfc3339_date_time("2030-01-31T15:00:00+0100"));
}

TEST(ArgumentFormats, CalendarDates) {
    EXPECT_TRUE(is_calendar_date("2030-12-31"));
    EXPECT_FALSE(is_calendar_date("2030-04-31"));
    EXPECT_FALSE(is_calendar_date("2030-1-31"));
}

}  // namespace
}  // namespace calrt::tools
