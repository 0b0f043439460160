#include "calrt/net/url_query.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/param.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <string>

namespace calrt::net {

void append_query_param(boost::urls::url& url, std::string_view key, std::string_view value) {
    const std::string encoded_key = boost::urls::encode(key, boost::urls::unreserved_chars);
    const std::string encoded_value = boost::urls::encode(value, boost::urls::unreserved_chars);
    url.encoded_params().append(boost::urls::param_pct_view(encoded_key, encoded_value));
}

}  // namespace calrt::net
