#pragma once
// Keeps SQLite's WAL checkpoints off the webhook commit path. SQLite checkpoints (copies the WAL's
// pages into the database file and fsyncs it) inside the COMMIT that takes the WAL past
// wal_autocheckpoint pages, so one group of deliveries in every few hundred waited for a
// checkpoint on top of its own commit: that was the p99 of webhook intake (docs/operations.md,
// "Performance"). Here the writer's commits only note the WAL's size (a WAL hook, which replaces
// the automatic checkpoint), and a thread of this class with its own connection runs a PASSIVE
// checkpoint, which copies what it can without blocking the writer.
//
// A background checkpoint never catches up with a busy writer: it copies the frames that were
// there when it began, and more arrive meanwhile. SQLite starts the WAL over (and stops growing
// it) only once every frame is copied, so under steady load the WAL grew to
// `writer_checkpoint_pages` and the writer then copied all of it in one commit (80 MB, a 200 ms
// stall). So once a background pass has copied everything it saw, the writer's next commit copies
// the few frames that came after (a PASSIVE checkpoint of its own: a few milliseconds, mostly the
// database file's fsync), and the WAL starts over at the next transaction. It stays near
// `background_pages`, and its writes overwrite instead of growing the file, which also makes each
// commit's fsync cheaper.
// Committed data is durable in the WAL either way; checkpoints only bound its size. Should the
// background checkpoints fail or fall behind, the writer checkpoints itself once the WAL reaches
// `writer_checkpoint_pages`, as SQLite would have.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "calrt/core/error.hpp"
#include "sqlite_connection.hpp"

namespace calrt::store {

struct WalCheckpointLimits {
    int background_pages = 1000;         // SQLite's default wal_autocheckpoint
    int writer_checkpoint_pages = 20000;  // about 80 MB of WAL with 4 KiB pages
    // The writer finishes after a background pass that copied at most this many pages (2 MiB):
    // about as many arrived while it ran, and the writer copies those.
    int finishing_pages = 512;
};

class WalCheckpointer {
  public:
    // Opens its own connection to `file` and hooks `writer`'s commits. `writer` must outlive this
    // object, and commit nothing once it is destroyed (the store stops its writer first).
    static Result<std::unique_ptr<WalCheckpointer>> start(const std::filesystem::path& file,
                                                          SqliteConnection& writer,
                                                          std::chrono::milliseconds busy_timeout,
                                                          WalCheckpointLimits limits = {});
    // Use start(); public for std::make_unique.
    WalCheckpointer(SqliteConnection& writer, SqliteConnection own, WalCheckpointLimits limits);
    ~WalCheckpointer();  // removes the hook and joins the thread
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    std::size_t background_checkpoints() const noexcept { return background_runs_; }
    // Checkpoints the writer ran because the WAL outgrew `writer_checkpoint_pages`.
    std::size_t writer_checkpoints() const noexcept { return writer_runs_; }
    // Checkpoints the writer ran to copy the frames committed after a complete background pass.
    std::size_t finishing_checkpoints() const noexcept { return finishing_runs_; }
    // A background pass has copied everything it saw and waits for the writer to finish the rest.
    bool caught_up() const noexcept { return caught_up_; }

  private:
    static int after_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
    void run();

    SqliteConnection& writer_;
    SqliteConnection connection_;  // used by the thread only
    const WalCheckpointLimits limits_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool due_ = false;
    bool stopping_ = false;
    int copied_before_ = 0;  // the thread's last pass, as SQLite counted
    std::atomic<bool> caught_up_{false};  // set by the thread, taken by the writer's next commit
    std::atomic<std::size_t> background_runs_{0};
    std::atomic<std::size_t> writer_runs_{0};
    std::atomic<std::size_t> finishing_runs_{0};
    std::jthread thread_;  // last: starts once everything above exists
};

}  // namespace calrt::store
