#include "support/running_smtp_server.hpp"

#include "support/free_port.hpp"

#include <boost/beast/core/detail/base64.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace calrt::test {
namespace {

// Debian's interpreter, where python3-aiosmtpd is installed (a python3 earlier on PATH, such as a
// pyenv shim, would not have it).
constexpr const char* kPython = "/usr/bin/python3";

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string script() { return std::string(CALRT_SOURCE_DIR) + "/testing/smtp/test_smtp_server.py"; }

}  // namespace

bool RunningSmtpServer::available() {
    return std::filesystem::exists(kPython) && std::filesystem::exists("/usr/lib/python3/dist-packages/aiosmtpd");
}

RunningSmtpServer::RunningSmtpServer(SmtpServerOptions options)
    : options_(std::move(options)), certificates_({"localhost"}, {"127.0.0.1"}) {
    const auto cert = directory_.path() / "server.pem";
    const auto key = directory_.path() / "server.key";
    const auto maildir = directory_.path() / "mail";
    std::filesystem::create_directory(maildir);
    write_file(cert, certificates_.server_certificate_pem());
    write_file(key, certificates_.server_private_key_pem());
    ca_file_ = certificates_.ca_file().string();
    // A port that was free a moment ago may be taken before the server binds it: try a few.
    for (int attempt = 0; attempt < 5; ++attempt) {
        port_ = free_port();
        std::vector<std::string> args{script(), "--port", std::to_string(port_), "--cert", cert.string(),
                                      "--key", key.string(), "--maildir", maildir.string(), "--mode", options_.mode};
        if (!options_.user.empty()) {
            args.insert(args.end(), {"--user", options_.user, "--password", options_.password});
        }
        for (const auto& refused : options_.refused_recipients) args.insert(args.end(), {"--refuse-rcpt", refused});
        process_ = std::make_unique<ChildProcess>(kPython, args, std::map<std::string, std::string>{});
        if (process_->wait_for_line("ready ", std::chrono::seconds(15))) return;
        process_->terminate(std::chrono::seconds(1));
    }
    throw std::runtime_error("the test SMTP server did not start: " + process_->drain_stderr());
}

RunningSmtpServer::~RunningSmtpServer() {
    if (process_) process_->terminate(std::chrono::seconds(2));
}

std::string RunningSmtpServer::url() const {
    return (options_.mode == "smtps" ? "smtps://127.0.0.1:" : "smtp://127.0.0.1:") + std::to_string(port_);
}

const std::string& RunningSmtpServer::ca_file() const { return ca_file_; }

std::vector<ReceivedMail> RunningSmtpServer::received() const {
    std::vector<ReceivedMail> mails;
    for (std::size_t n = 1;; ++n) {
        const auto base = directory_.path() / "mail" / std::to_string(n);
        // The server writes the .eml last (a rename), so its presence means both files are whole.
        if (!std::filesystem::exists(base.string() + ".eml")) break;
        const auto meta = nlohmann::json::parse(read_file(base.string() + ".json"));
        mails.push_back({meta.at("mail_from").get<std::string>(),
                         meta.at("rcpt_tos").get<std::vector<std::string>>(), meta.at("tls").get<bool>(),
                         meta.at("authenticated").get<bool>(), read_file(base.string() + ".eml")});
    }
    return mails;
}

std::vector<ReceivedMail> RunningSmtpServer::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto mails = received();
        if (mails.size() >= count || std::chrono::steady_clock::now() >= deadline) return mails;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling a directory, with a deadline
    }
}

std::string mail_part(const std::string& raw, const std::string& type) {
    const auto header = raw.find("Content-Type: " + type);
    if (header == std::string::npos) return {};
    const auto body_start = raw.find("\r\n\r\n", header);
    if (body_start == std::string::npos) return {};
    const auto body_end = raw.find("\r\n--", body_start + 4);
    std::string encoded = raw.substr(body_start + 4, body_end - body_start - 4);
    std::erase_if(encoded, [](char c) { return c == '\r' || c == '\n'; });
    namespace b64 = boost::beast::detail::base64;
    std::string decoded(b64::decoded_size(encoded.size()), '\0');
    decoded.resize(b64::decode(decoded.data(), encoded.data(), encoded.size()).first);
    return decoded;
}

}  // namespace calrt::test
