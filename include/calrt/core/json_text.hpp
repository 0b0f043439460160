#pragma once
// Appends `text` to `out` as a JSON string literal (quotes and escapes included). Used where JSON is
// written without building a document first: log lines, error bodies on hot paths. Valid UTF-8
// passes through unchanged; a byte that is not part of a valid UTF-8 sequence is written as \ufffd,
// so the literal is valid JSON whatever `text` holds.

#include <string>
#include <string_view>

namespace calrt {

void append_json_string(std::string& out, std::string_view text);

}  // namespace calrt
