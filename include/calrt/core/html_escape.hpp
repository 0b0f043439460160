#pragma once
// Text put into HTML (the one-time code mail, the host pages' 404): &, <, >, " and ' as entities.

#include <string>
#include <string_view>

namespace calrt {

std::string html_escape(std::string_view text);

}  // namespace calrt
