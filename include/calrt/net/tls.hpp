#pragma once
// TLS client set-up shared by the HTTP client and the WebSocket client: one verified context, and the
// per-connection settings (SNI and host-name verification) that a client without them silently gets
// wrong (STYLE.md, Beast examples).

#include "calrt/core/error.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace boost::asio::ssl {
class context;
}
struct ssl_st;  // OpenSSL's SSL

namespace calrt::net {

// A TLS 1.2+ client context that verifies peers against the system trust store and, when
// `extra_ca_file` is not empty, the PEM certificates in that file as well. Throws std::runtime_error
// naming the file when it cannot be loaded (start-up misconfiguration).
std::shared_ptr<boost::asio::ssl::context> make_client_tls_context(const std::string& extra_ca_file = {});

// Before the handshake on one connection: send SNI for `host` and require the certificate to match it
// (DNS name or IP address). Fails with code "tls_setup_failed" if OpenSSL refuses the host.
Result<void> prepare_tls_connection(ssl_st* ssl, std::string_view host);

}  // namespace calrt::net
