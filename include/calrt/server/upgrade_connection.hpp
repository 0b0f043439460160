#pragma once
// What an UpgradeHandler receives: the connection's stream, any bytes already read past the request
// head, the request itself and its id. Includes Beast; only WebSocket code needs it.

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>

namespace calrt::server {

struct UpgradeConnection {
    boost::beast::tcp_stream stream;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> request;
    std::string request_id;
    std::string remote_address;
};

}  // namespace calrt::server
