#pragma once
// The completion token of every awaited network operation here: the operation's error_code (and
// results) come back as a tuple instead of an exception, so each step handles failure as a value.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace calrt::net {

inline constexpr auto as_result = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace calrt::net
