#pragma once
// Appending query parameters to a URL so that every reader decodes them as written. Boost.URL's own
// query encoding leaves reserved characters such as '+' bare, and a form decoder (Rack, which
// Calendly's API and booking pages use; browsers' URLSearchParams) reads a bare '+' as a space:
// `invitee_email=ada+test@example.com` would arrive as "ada test@example.com".

#include <boost/url/url.hpp>
#include <string_view>

namespace calrt::net {

// Appends key=value with both percent-encoded except for RFC 3986 unreserved characters
// (ALPHA, DIGIT, '-', '.', '_', '~'), so '+', '&', '=', '#', '%', spaces and UTF-8 survive.
void append_query_param(boost::urls::url& url, std::string_view key, std::string_view value);

}  // namespace calrt::net
