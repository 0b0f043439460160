#pragma once
// The head of an HTTP/1.x response, written into one string by hand. The bytes are those Beast's
// serializer wrote for the same message (tests/unit/response_head_test.cpp compares the two), but
// Beast built a field list per response and walked a chain of buffer views to send it: a tenth of a
// cached read's CPU (issue 21). The head and the body then go out in one gathered write.

#include "calrt/server/http_message.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace calrt::server {

// Whether a response with this status carries a body (RFC 9110 sections 15.2, 15.3.5, 15.4.5:
// 1xx, 204 and 304 do not, and have no Content-Length).
bool status_has_body(unsigned status) noexcept;

// Appends to `out` the status line and headers of `response`, then the blank line:
// `Server`, `Content-Type`, the response's own headers, `X-Request-Id` (when `request_id` is not
// empty), `Connection` when the version's default does not say it (`close` on HTTP/1.1,
// `keep-alive` on HTTP/1.0), and `Content-Length: content_length` when the status has a body.
// A name given twice is written once, with its last value, where it was last set (Beast's
// `set`). Framing headers among the response's own (`Content-Length`, `Transfer-Encoding`,
// `Connection`) are not written: this function decides them. CR, LF and NUL in a value become
// spaces, so that no value can end the head early.
void append_response_head(std::string& out, const Response& response, std::string_view request_id,
                          unsigned version, bool keep_alive, std::size_t content_length);

}  // namespace calrt::server
