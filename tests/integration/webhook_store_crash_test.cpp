// Ack-after-commit under a hard kill: a child process stores deliveries from several threads and
// reports each acknowledged id down a pipe; the parent SIGKILLs it mid-stream, reopens the database
// and must find every acknowledged delivery (issue 4: Calendly does not redeliver what we acked).
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <thread>

#include "calrt/store/webhook_store.hpp"
#include "support/temp_dir.hpp"
#include "support/webhook_store_support.hpp"

namespace calrt::store {
namespace {

struct Acknowledgement {
    std::int64_t id;
    std::int64_t invitee;  // which delivery the id was acknowledged for
};
static_assert(sizeof(Acknowledgement) <= PIPE_BUF, "each write must be atomic on the pipe");

constexpr int kWriterThreads = 4;
constexpr int kAcksBeforeKill = 300;

// The child: never returns. Stores until killed, writing one Acknowledgement per successful store.
[[noreturn]] void store_until_killed(const StoreOptions& options, int ack_fd) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a parent that failed
    auto store = WebhookStore::open(options);
    if (!store) ::_exit(3);
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriterThreads; ++t) {
        writers.emplace_back([&, t] {
            for (int n = t; n < 1'000'000; n += kWriterThreads) {
                auto outcome =
                    (*store)->store_blocking(test::webhook_delivery("invitee.created", n));
                if (!outcome) ::_exit(4);
                const Acknowledgement ack{outcome->id, n};
                if (::write(ack_fd, &ack, sizeof ack) != static_cast<ssize_t>(sizeof ack))
                    ::_exit(5);
            }
        });
    }
    for (auto& writer : writers) writer.join();
    ::_exit(0);
}

// Reads whole acknowledgements until `enough` arrived, or until EOF when `enough` is 0.
bool read_acks(int fd, std::vector<Acknowledgement>& acks, std::size_t enough) {
    std::string buffer;
    for (;;) {
        pollfd readable{fd, POLLIN, 0};
        if (::poll(&readable, 1, 10'000) <= 0) return false;  // the child is stuck
        char chunk[4096];
        const ssize_t got = ::read(fd, chunk, sizeof chunk);
        if (got <= 0) return got == 0;
        buffer.append(chunk, static_cast<std::size_t>(got));
        while (buffer.size() >= sizeof(Acknowledgement)) {
            Acknowledgement ack{};
            std::memcpy(&ack, buffer.data(), sizeof ack);
            buffer.erase(0, sizeof ack);
            acks.push_back(ack);
        }
        if (enough && acks.size() >= enough) return true;
    }
}

TEST(WebhookStoreCrash, EveryAcknowledgedDeliverySurvivesSigkill) {
    test::TempDir dir;
    MetricsRegistry metrics;
    const auto options = test::store_options(dir, metrics);
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);

    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(pipe_fds[0]);
        store_until_killed(options, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    std::vector<Acknowledgement> acks;
    const bool enough = read_acks(pipe_fds[0], acks, kAcksBeforeKill);
    ::kill(child, SIGKILL);
    const bool drained = read_acks(pipe_fds[0], acks, 0);  // acks written before the kill
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(enough) << "child acknowledged only " << acks.size() << " deliveries";
    ASSERT_TRUE(drained);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "child exited early, status " << status;

    auto store = WebhookStore::open(options);
    ASSERT_TRUE(store) << store.error().message;
    std::map<std::int64_t, std::string> stored_uri_by_id;
    ListQuery query{.limit = kMaxListLimit};
    for (;;) {
        const auto page = (*store)->list_blocking(query);
        ASSERT_TRUE(page) << page.error().message;
        for (const auto& item : page->items) stored_uri_by_id[item.id] = item.delivery.payload_uri;
        if (!page->next_cursor) break;
        query.cursor = page->next_cursor;
    }

    for (const auto& ack : acks) {
        const auto row = stored_uri_by_id.find(ack.id);
        ASSERT_NE(row, stored_uri_by_id.end()) << "acknowledged id " << ack.id << " is missing";
        EXPECT_EQ(
            row->second,
            test::webhook_delivery("invitee.created", static_cast<int>(ack.invitee)).payload_uri);
    }
    EXPECT_GE(stored_uri_by_id.size(), acks.size());
}

}  // namespace
}  // namespace calrt::store
