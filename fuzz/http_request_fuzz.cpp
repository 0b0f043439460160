// libFuzzer target: what a client can send before any body is read. The bytes go through Beast's
// request parser with the server's header limit, then the session's own head handling
// (request_from_head: known methods, target and query decoding, Transfer-Encoding, the client
// address behind a trusted proxy) and the router with the service's route table. Any bytes must
// give a request or an error, never a crash; an accepted request always has a known method label
// and a path that starts with '/'.
#include "calrt/server/client_address.hpp"
#include "calrt/server/router.hpp"
#include "server/request_head.hpp"

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdlib>
#include <cstdint>

namespace {

namespace http = boost::beast::http;
using calrt::server::Request;
using calrt::server::Response;

// The service's routes (DESIGN.md's table), with handlers that are never run here.
const calrt::server::Router& routes() {
    static const calrt::server::Router router = [] {
        calrt::server::Router r;
        // Never called. Not a coroutine: clang 14 cannot emit this file's coroutines with the fuzz
        // flags ("cannot represent a difference across sections").
        calrt::server::Handler none = [](Request&) -> boost::asio::awaitable<Response> { std::abort(); };
        for (const char* path : {"/healthz", "/readyz", "/metrics", "/api/calendly", "/api/openapi.json",
                                 "/api/calendly/webhook/events"}) {
            r.get(path, none);
        }
        r.post("/api/calendly", none);
        r.post("/api/calendly/webhook", none);
        r.get("/event_types/{uuid}", none);  // a pattern route, as the fake Calendly uses
        r.fallback_get(none);
        return r;
    }();
    return router;
}

const std::vector<calrt::IpNetwork>& trusted() {
    static const auto networks = calrt::parse_ip_networks("10.0.0.0/8, 2001:db8::/32").value();
    return networks;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(8 * 1024);
    boost::system::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (!parser.is_header_done()) return 0;
    // Both a direct client and one behind a trusted proxy.
    for (const char* peer : {"203.0.113.9", "10.1.2.3"}) {
        auto request = calrt::server::request_from_head(parser.get(), peer, trusted());
        if (!request) continue;
        if (!calrt::server::is_known_method(request->method) || request->path.empty() ||
            request->path.front() != '/') {
            __builtin_trap();
        }
        (void)calrt::server::address_bucket(request->remote_address);
        const auto match = routes().match(request->method, request->path);
        (void)match.metric_label();
        for (const auto& [key, value] : request->query) (void)request->query_param(key);
    }
    return 0;
}
