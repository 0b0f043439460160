#pragma once
// How deeply a JSON text nests, measured on the bytes before anything parses it. nlohmann::json
// parses iteratively, but copying, dumping, comparing and merge_patch recurse once per level: a
// body nested a few hundred thousand levels deep (a few hundred KB of "[[[[") would exhaust a
// thread's stack the moment such a document is copied or rendered. Every JSON text that arrives
// from outside is checked against a limit first.

#include <cstddef>
#include <string_view>

namespace calrt {

// Deeper than anything Calendly, OpenAI or our own clients send (a Calendly invitee payload nests
// about 5 levels: payload -> questions_and_answers -> [] -> {}), and shallow enough that rendering
// never comes near the stack's end.
inline constexpr std::size_t kMaxJsonNesting = 64;

// The deepest level of `{`/`[` outside strings. Not a validator: malformed text gets some number,
// and the parser that runs afterwards rejects it.
std::size_t json_nesting_depth(std::string_view text) noexcept;

// json_nesting_depth(text) <= limit, stopping at the first byte past the limit.
bool json_nesting_within(std::string_view text, std::size_t limit = kMaxJsonNesting) noexcept;

}  // namespace calrt
