#pragma once
// A throwaway certificate authority and a server certificate signed by it, generated in memory with
// OpenSSL 3 for each test run (no key material checked in), with the PEMs also written to a fresh
// temporary directory for code that takes file names (HttpClientOptions::extra_ca_file).

#include <filesystem>
#include <string>
#include <vector>

namespace calrt::test {

class TestCertificates {
  public:
    // The server certificate covers `dns_names` and `ip_addresses` (its subjectAltName).
    explicit TestCertificates(const std::vector<std::string>& dns_names = {"localhost"},
                              const std::vector<std::string>& ip_addresses = {"127.0.0.1"});
    ~TestCertificates();
    TestCertificates(const TestCertificates&) = delete;
    TestCertificates& operator=(const TestCertificates&) = delete;

    const std::string& ca_certificate_pem() const { return ca_certificate_pem_; }
    const std::string& server_certificate_pem() const { return server_certificate_pem_; }
    const std::string& server_private_key_pem() const { return server_private_key_pem_; }
    const std::filesystem::path& ca_file() const { return ca_file_; }

  private:
    std::string ca_certificate_pem_;
    std::string server_certificate_pem_;
    std::string server_private_key_pem_;
    std::filesystem::path directory_;
    std::filesystem::path ca_file_;
};

}  // namespace calrt::test
