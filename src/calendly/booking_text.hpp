#pragma once
// How booking requirements and refusals name a meeting type or a question for the person. Private
// to the calendly module.

#include <string>
#include <string_view>

namespace calrt::calendly::detail {

inline std::string in_quotes(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace calrt::calendly::detail
