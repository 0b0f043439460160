#pragma once
// Appends `text` to `out` as a JSON string literal (quotes and escapes included; invalid UTF-8
// bytes become U+FFFD, so the result is always valid JSON). Used where JSON is
// written without building a document first: log lines, error bodies on hot paths.

#include <string>
#include <string_view>

namespace calrt {

void append_json_string(std::string& out, std::string_view text);

}  // namespace calrt
