#include "postgres_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <vector>

#include "calrt/core/logging.hpp"
#include "postgres_reader.hpp"
#include "postgres_schema.hpp"

namespace calrt::store {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2'000};
constexpr std::string_view kReadyDetail = "database connected";

}  // namespace

PostgresListener::PostgresListener(PostgresSettings settings, DeliveryFeed& feed,
                                   Readiness* readiness, MetricsRegistry& metrics)
    : settings_(std::move(settings)),
      feed_(feed),
      readiness_(readiness),
      announced_(metrics.counter("webhook_store_announced_deliveries_total",
                                 "Deliveries announced by the database (any replica's) and "
                                 "published to this replica's live subscribers")),
      reconnects_(metrics.counter("webhook_store_listener_reconnects_total",
                                  "Times the webhook store's listener reconnected to the database")),
      stop_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (stop_fd_ < 0) throw std::runtime_error("webhook store: eventfd failed");
}

PostgresListener::~PostgresListener() {
    stopping_ = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(stop_fd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
    ::close(stop_fd_);
}

Result<void> PostgresListener::start(PostgresConnection connection) {
    if (auto listening = listen(connection); !listening) return listening.error();
    connection_.emplace(std::move(connection));
    set_ready(true, std::string(kReadyDetail));
    thread_ = std::thread([this] { run(); });
    return {};
}

Result<void> PostgresListener::listen(PostgresConnection& connection) {
    auto listening = connection.execute("LISTEN " + std::string(kDeliveryChannel),
                                        "listening for new deliveries");
    if (!listening) return listening.error();
    return {};
}

void PostgresListener::run() {
    std::chrono::milliseconds backoff{0};
    while (!stopping_) {
        if (!connection_) {
            auto connected = PostgresConnection::connect(settings_);
            Result<void> listening = connected ? listen(*connected) : Result<void>(connected.error());
            if (!listening) {
                backoff = std::min(kMaxBackoff, backoff.count() == 0 ? kFirstBackoff : backoff * 2);
                set_ready(false, "database unreachable; reconnecting");
                log::warn("webhook store listener cannot reach the database; retrying",
                          {{"reason", listening.error().message},
                           {"retry_in_ms", static_cast<std::int64_t>(backoff.count())}});
                wait_for_input(backoff);
                continue;
            }
            // Rows committed while the listener was away were acknowledged and are listed as
            // usual; only their live confirmation was missed.
            connection_.emplace(std::move(*connected));
            backoff = std::chrono::milliseconds{0};
            reconnects_.inc();
            set_ready(true, std::string(kReadyDetail));
            log::info("webhook store listener reconnected to the database");
        }
        if (!wait_for_input(std::nullopt)) break;
        if (PQconsumeInput(connection_->native()) == 0 || !connection_->usable()) {
            connection_.reset();
            set_ready(false, "database connection lost; reconnecting");
            log::warn("webhook store listener lost its database connection; reconnecting");
            continue;
        }
        publish_announced();
    }
}

bool PostgresListener::wait_for_input(std::optional<std::chrono::milliseconds> timeout) {
    pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {connection_ ? connection_->socket() : -1, POLLIN, 0}};
    const nfds_t count = connection_ ? 2 : 1;
    const int timeout_ms = timeout ? static_cast<int>(timeout->count()) : -1;
    while (::poll(fds, count, timeout_ms) < 0 && errno == EINTR) {
    }
    return !stopping_;
}

void PostgresListener::publish_announced() {
    // Reading the rows lets libpq take in more notifications, which the socket will not signal
    // again: go on until none is queued.
    for (;;) {
        std::vector<std::int64_t> ids;
        while (PGnotify* notification = PQnotifies(connection_->native())) {
            const std::string_view payload = notification->extra;
            std::int64_t id = 0;
            const auto [end, ec] =
                std::from_chars(payload.data(), payload.data() + payload.size(), id);
            if (ec == std::errc() && end == payload.data() + payload.size()) ids.push_back(id);
            PQfreemem(notification);
        }
        if (ids.empty()) return;
        auto rows = read_deliveries(*connection_, ids);
        if (!rows) {
            log::warn("webhook store listener could not read announced deliveries; their live "
                      "confirmation is skipped",
                      {{"deliveries", ids.size()}, {"reason", rows.error().message}});
            if (!connection_->usable()) {
                connection_.reset();
                set_ready(false, "database connection lost; reconnecting");
            }
            return;
        }
        for (auto& row : *rows) {
            announced_.inc();
            feed_.publish(std::make_shared<const StoredDelivery>(std::move(row)));
        }
    }
}

void PostgresListener::set_ready(bool ready, std::string detail) {
    if (readiness_ != nullptr) readiness_->set("store", ready, std::move(detail));
}

}  // namespace calrt::store
