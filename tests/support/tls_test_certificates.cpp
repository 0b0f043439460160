#include "support/tls_test_certificates.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>

namespace calrt::test {
namespace {

template <class T, void (*Free)(T*)>
struct OpenSslDeleter {
    void operator()(T* pointer) const { Free(pointer); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using CertificatePtr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using KeyContextPtr =
    std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using ExtensionPtr =
    std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION, X509_EXTENSION_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;

void require(bool ok, const char* what) {
    if (!ok) {
        throw std::runtime_error(std::string("generating test certificates: ") + what + " failed");
    }
}

// P-256 keys generate in well under a millisecond, unlike RSA.
KeyPtr generate_key() {
    KeyContextPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    require(context != nullptr, "EVP_PKEY_CTX_new_from_name");
    require(EVP_PKEY_keygen_init(context.get()) == 1, "EVP_PKEY_keygen_init");
    require(EVP_PKEY_CTX_set_group_name(context.get(), "P-256") == 1,
            "EVP_PKEY_CTX_set_group_name");
    EVP_PKEY* key = nullptr;
    require(EVP_PKEY_generate(context.get(), &key) == 1, "EVP_PKEY_generate");
    return KeyPtr(key);
}

void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX context{};
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
    require(extension != nullptr, "X509V3_EXT_conf_nid");
    require(X509_add_ext(certificate, extension.get(), -1) == 1, "X509_add_ext");
}

CertificatePtr new_certificate(EVP_PKEY* key, const std::string& common_name, long serial) {
    CertificatePtr certificate(X509_new());
    require(certificate != nullptr, "X509_new");
    require(X509_set_version(certificate.get(), X509_VERSION_3) == 1, "X509_set_version");
    require(ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), serial) == 1,
            "ASN1_INTEGER_set");
    // Valid from an hour ago, so that clock skew between the steps of a test cannot matter.
    require(X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600) != nullptr,
            "X509_gmtime_adj");
    require(X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 24 * 3600) != nullptr,
            "X509_gmtime_adj");
    require(X509_set_pubkey(certificate.get(), key) == 1, "X509_set_pubkey");
    X509_NAME* subject = X509_get_subject_name(certificate.get());
    require(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                       reinterpret_cast<const unsigned char*>(common_name.c_str()),
                                       -1, -1, 0) == 1,
            "X509_NAME_add_entry_by_txt");
    return certificate;
}

std::string pem_of(const std::function<int(BIO*)>& write) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    require(bio != nullptr && write(bio.get()) == 1, "PEM_write_bio");
    std::string pem(BIO_ctrl_pending(bio.get()), '\0');
    require(BIO_read(bio.get(), pem.data(), static_cast<int>(pem.size())) ==
                static_cast<int>(pem.size()),
            "BIO_read");
    return pem;
}

std::string subject_alt_name(const std::vector<std::string>& dns_names,
                             const std::vector<std::string>& ip_addresses) {
    std::string value;
    for (const auto& name : dns_names) value += (value.empty() ? "DNS:" : ",DNS:") + name;
    for (const auto& address : ip_addresses) value += (value.empty() ? "IP:" : ",IP:") + address;
    return value;
}

void write_file(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
    require(static_cast<bool>(out), "writing a PEM file");
}

}  // namespace

TestCertificates::TestCertificates(const std::vector<std::string>& dns_names,
                                   const std::vector<std::string>& ip_addresses) {
    const KeyPtr ca_key = generate_key();
    const CertificatePtr ca = new_certificate(ca_key.get(), "calendly-realtime test CA", 1);
    require(X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())) == 1,
            "X509_set_issuer_name");
    add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
    require(X509_sign(ca.get(), ca_key.get(), EVP_sha256()) > 0, "X509_sign");

    const KeyPtr server_key = generate_key();
    const std::string common_name = dns_names.empty() ? ip_addresses.at(0) : dns_names.front();
    const CertificatePtr server = new_certificate(server_key.get(), common_name, 2);
    require(X509_set_issuer_name(server.get(), X509_get_subject_name(ca.get())) == 1,
            "X509_set_issuer_name");
    add_extension(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
    add_extension(server.get(), ca.get(), NID_ext_key_usage, "serverAuth");
    add_extension(server.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
    add_extension(server.get(), ca.get(), NID_subject_alt_name,
                  subject_alt_name(dns_names, ip_addresses));
    require(X509_sign(server.get(), ca_key.get(), EVP_sha256()) > 0, "X509_sign");

    ca_certificate_pem_ = pem_of([&](BIO* bio) { return PEM_write_bio_X509(bio, ca.get()); });
    server_certificate_pem_ =
        pem_of([&](BIO* bio) { return PEM_write_bio_X509(bio, server.get()); });
    server_private_key_pem_ = pem_of([&](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, server_key.get(), nullptr, nullptr, 0, nullptr,
                                        nullptr);
    });

    std::string pattern = (std::filesystem::temp_directory_path() / "calrt-tls-XXXXXX").string();
    require(::mkdtemp(pattern.data()) != nullptr, "mkdtemp");
    directory_ = pattern;
    ca_file_ = directory_ / "ca.pem";
    write_file(ca_file_, ca_certificate_pem_);
    write_file(directory_ / "server.pem", server_certificate_pem_);
    write_file(directory_ / "server-key.pem", server_private_key_pem_);
}

TestCertificates::~TestCertificates() {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
}

}  // namespace calrt::test
