#include "calrt/identity/mail_sender.hpp"

#include "calrt/core/random.hpp"
#include "calrt/core/time.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <curl/curl.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace calrt::identity {
namespace asio = boost::asio;

struct MailSender::Workers {
    explicit Workers(unsigned threads) : pool(std::max(1u, threads)) {}
    ~Workers() { pool.join(); }
    asio::thread_pool pool;
};

namespace {

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// The message's bytes, handed to libcurl as it asks for them.
struct Upload {
    std::string_view remaining;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto& upload = *static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, upload.remaining.size());
    std::memcpy(buffer, upload.remaining.data(), n);
    upload.remaining.remove_prefix(n);
    return n;
}

// libcurl has already loaded the system store into the context; SMTP_CA_FILE is added to it, as
// CALENDLY_CA_FILE is for Calendly (net/tls.cpp).
CURLcode add_ca_file(CURL*, void* ssl_ctx, void* user) {
    const auto& ca_file = *static_cast<const std::string*>(user);
    auto* context = static_cast<SSL_CTX*>(ssl_ctx);
    return SSL_CTX_load_verify_locations(context, ca_file.c_str(), nullptr) == 1 ? CURLE_OK
                                                                                 : CURLE_SSL_CACERT_BADFILE;
}

Error mail_failed(CURLcode code, long smtp_status) {
    // curl_easy_strerror() names the problem without hosts or credentials.
    std::string message = "the mail server did not take the message: ";
    switch (code) {
    case CURLE_USE_SSL_FAILED:
        message += "it does not offer STARTTLS, which SMTP_URL smtp:// requires (or use smtps://)";
        break;
    case CURLE_LOGIN_DENIED:
        message += "it refused SMTP_USERNAME/SMTP_PASSWORD";
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
        message += "its certificate is not trusted (check SMTP_CA_FILE)";
        break;
    default:
        message += curl_easy_strerror(code);
        if (smtp_status > 0) message += " (SMTP " + std::to_string(smtp_status) + ")";
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
        return Error::make(ErrorKind::upstream_timeout, "mail_timeout", "the mail server did not answer in time");
    }
    return Error::make(ErrorKind::upstream_failed, "mail_failed", std::move(message));
}

bool bare_address(std::string_view address) {
    const auto at = address.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
           address.find_first_of(" \t\r\n<>,;\"") == std::string_view::npos;
}

}  // namespace

Result<void> validate_mail_settings(const MailSettings& settings) {
    const std::string_view url = settings.url;
    const bool smtp = url.starts_with("smtp://");
    const bool smtps = url.starts_with("smtps://");
    const std::size_t host_at = smtp ? 7 : 8;
    if ((!smtp && !smtps) || url.size() <= host_at || url[host_at] == '/' || url[host_at] == ':') {
        return Error::make(ErrorKind::invalid_argument, "invalid_setting",
                           "SMTP_URL must be smtp://host[:port] (STARTTLS) or smtps://host[:port]");
    }
    if (!bare_address(mailbox_address(settings.from))) {
        return Error::make(ErrorKind::invalid_argument, "invalid_setting",
                           "SMTP_FROM must be an address, or \"Name <address>\"");
    }
    return {};
}

MailSender::MailSender(MailSettings settings)
    : settings_(std::move(settings)), from_address_(mailbox_address(settings_.from)) {
    if (auto valid = validate_mail_settings(settings_); !valid) throw std::invalid_argument(valid.error().message);
    // Reference-counted and thread-safe since curl 7.84 (Debian bookworm has 7.88).
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl could not start");
    workers_ = std::make_unique<Workers>(settings_.threads);
}

MailSender::~MailSender() {
    workers_.reset();  // sends in flight finish first
    curl_global_cleanup();
}

Result<void> MailSender::send_now(const MailMessage& message) const {
    if (!bare_address(message.to)) {
        return Error::make(ErrorKind::invalid_argument, "invalid_email", "the recipient is not an email address");
    }
    const std::string domain = from_address_.substr(from_address_.find('@') + 1);
    const std::string bytes = render_mail(
        message, MailEnvelope{settings_.from, SystemClock().now(), "calrt-" + random_hex(16),
                              "<" + random_hex(16) + "@" + domain + ">"});

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return Error::make(ErrorKind::internal, "mail_failed", "libcurl could not start a transfer");
    std::unique_ptr<curl_slist, CurlDeleter> recipients(curl_slist_append(nullptr, message.to.c_str()));
    Upload upload{bytes};
    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // smtp:// goes on only after STARTTLS; smtps:// is TLS throughout.
    curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    curl_easy_setopt(handle, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!settings_.ca_file.empty()) {
        curl_easy_setopt(handle, CURLOPT_SSL_CTX_FUNCTION, add_ca_file);
        curl_easy_setopt(handle, CURLOPT_SSL_CTX_DATA, &settings_.ca_file);
    }
    if (!settings_.username.empty()) {
        curl_easy_setopt(handle, CURLOPT_USERNAME, settings_.username.reveal().c_str());
        curl_easy_setopt(handle, CURLOPT_PASSWORD, settings_.password.reveal().c_str());
    }
    curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from_address_.c_str());
    curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
    curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count() * 1000));
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min<long long>(settings_.timeout.count(), 10) * 1000));
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM from a worker thread

    const CURLcode result = curl_easy_perform(handle);
    if (result == CURLE_OK) return {};
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    return mail_failed(result, status);
}

namespace {

asio::awaitable<Result<void>> send_on_worker(const MailSender& sender, MailMessage message) {
    co_return sender.send_now(message);
}

}  // namespace

asio::awaitable<Result<void>> MailSender::send(MailMessage message) {
    // send_on_worker runs on a worker thread; co_await resumes this coroutine on its own executor.
    co_return co_await asio::co_spawn(workers_->pool, send_on_worker(*this, std::move(message)), asio::use_awaitable);
}

}  // namespace calrt::identity
