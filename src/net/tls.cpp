#include "calrt/net/tls.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace calrt::net {
namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> make_client_tls_context(const std::string& extra_ca_file) {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
    // TLS 1.0 and 1.1 are deprecated (RFC 8996); Calendly and OpenAI both serve TLS 1.2+.
    if (SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION) != 1) {
        throw std::runtime_error("cannot require TLS 1.2 or later on the client TLS context");
    }
    boost::system::error_code ec;
    context->set_default_verify_paths(ec);
    if (ec) throw std::runtime_error("cannot load the system certificate store: " + ec.message());
    if (!extra_ca_file.empty()) {
        context->load_verify_file(extra_ca_file, ec);
        if (ec) {
            throw std::runtime_error("cannot load the CA file " + extra_ca_file + ": " +
                                     ec.message() + " (expected PEM certificates)");
        }
    }
    context->set_verify_mode(ssl::verify_peer);
    return context;
}

Result<void> prepare_tls_connection(ssl_st* ssl, std::string_view host) {
    const std::string host_text(host);
    const auto failed = [&host_text](std::string_view what) {
        return Error::make(ErrorKind::internal, "tls_setup_failed",
                           std::string(what) + " for " + host_text + " was refused by OpenSSL");
    };
    boost::system::error_code not_an_address;
    boost::asio::ip::make_address(host_text, not_an_address);
    if (!not_an_address) {
        // SNI carries host names only (RFC 6066 section 3); an IP literal is checked against the
        // certificate's IP address entries instead.
        if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host_text.c_str()) != 1) {
            return failed("IP address verification");
        }
        return {};
    }
    // SSL_set_tlsext_host_name is a macro with a C cast; this is the call it expands to.
    if (SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(host_text.c_str())) != 1) {
        return failed("SNI");
    }
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set1_host(ssl, host_text.c_str()) != 1) return failed("host name verification");
    return {};
}

}  // namespace calrt::net
