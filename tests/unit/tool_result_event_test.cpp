// The relay's calrt.tool_result event: the call's name, arguments and result, for the page.
#include "calrt/server/tool_result_event.hpp"

#include <gtest/gtest.h>

namespace calrt::server {
namespace {

using nlohmann::json;

TEST(ToolResultEvent, CarriesTheCallTheArgumentsParsedAndTheResultAsIs) {
    const json result = {{"days", json::array({{{"date", "2026-11-30"}, {"slots", {"2026-11-30T09:00:00+05:30"}}}})},
                         {"message", "Open times…"}};
    const auto event = tool_result_event(
        {"call_1", "check_meeting_availability", "resp_1", R"({"timezone":"Asia/Kolkata"})"}, result);
    EXPECT_EQ(event, (json{{"type", "calrt.tool_result"},
                           {"call_id", "call_1"},
                           {"name", "check_meeting_availability"},
                           {"arguments", {{"timezone", "Asia/Kolkata"}}},
                           {"result", result}}));
}

TEST(ToolResultEvent, ArgumentsThatAreNotAJsonObjectBecomeAnEmptyObject) {
    for (const char* arguments : {"", "not json", "[1,2]", "\"text\"", "{\"unclosed\":"}) {
        const auto event = tool_result_event({"call_1", "book_meeting", "resp_1", arguments},
                                             json{{"error", {{"code", "invalid_arguments"}}}});
        EXPECT_EQ(event["arguments"], json::object()) << arguments;
        EXPECT_EQ(event["result"]["error"]["code"], "invalid_arguments");
    }
}

TEST(ToolResultEvent, ArgumentsNestedTooDeeplyBecomeAnEmptyObject) {
    const std::string deep = R"({"extra":)" + std::string(100'000, '[') + std::string(100'000, ']') + "}";
    const auto event = tool_result_event({"call_1", "book_meeting", "resp_1", deep}, json::object());
    EXPECT_EQ(event["arguments"], json::object());
}

}  // namespace
}  // namespace calrt::server
