#include "wal_checkpointer.hpp"

#include <sqlite3.h>

#include "calrt/core/logging.hpp"

namespace calrt::store {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(
    const std::filesystem::path& file, SqliteConnection& writer,
    std::chrono::milliseconds busy_timeout, WalCheckpointLimits limits) {
    auto own = SqliteConnection::open(file, SqliteConnection::Mode::read_write, busy_timeout);
    if (!own) return own.error();
    // A checkpoint fsyncs the database file before the WAL may be reused (synchronous=FULL).
    if (auto ok = own->execute("PRAGMA synchronous = FULL", "setting synchronous=FULL"); !ok) {
        return ok.error();
    }
    return std::make_unique<WalCheckpointer>(writer, std::move(*own), limits);
}

WalCheckpointer::WalCheckpointer(SqliteConnection& writer, SqliteConnection own,
                                 WalCheckpointLimits limits)
    : writer_(writer), connection_(std::move(own)), limits_(limits), thread_([this] { run(); }) {
    sqlite3_wal_hook(writer_.native_handle(), &WalCheckpointer::after_commit, this);
}

WalCheckpointer::~WalCheckpointer() {
    sqlite3_wal_hook(writer_.native_handle(), nullptr, nullptr);
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
}

// On the writer's thread, inside COMMIT, once the transaction is in the WAL.
int WalCheckpointer::after_commit(void* self, sqlite3* db, const char* schema, int wal_pages) {
    auto& checkpointer = *static_cast<WalCheckpointer*>(self);
    if (wal_pages >= checkpointer.limits_.writer_checkpoint_pages) {
        // The background checkpoints fell behind: bound the WAL here, as SQLite itself would.
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        ++checkpointer.writer_runs_;
        checkpointer.caught_up_ = false;
    } else if (checkpointer.caught_up_.exchange(false)) {
        // Only the frames committed since the background pass began are left to copy; once they
        // are, the next transaction starts the WAL over. The thread waits until this is taken.
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        ++checkpointer.finishing_runs_;
        const std::lock_guard lock(checkpointer.mutex_);
        checkpointer.due_ = false;  // the WAL starts over: passes asked for meanwhile are moot
    } else if (wal_pages >= checkpointer.limits_.background_pages) {
        {
            const std::lock_guard lock(checkpointer.mutex_);
            checkpointer.due_ = true;
        }
        checkpointer.wake_.notify_one();
    }
    return SQLITE_OK;
}

void WalCheckpointer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return (due_ && !caught_up_) || stopping_; });
        if (stopping_) return;
        due_ = false;
        lock.unlock();
        int wal_pages = 0;
        int copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(connection_.native_handle(), nullptr,
                                                 SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
            log::warn("webhook store checkpoint failed (the writer will checkpoint instead)",
                      {{"error", sqlite3_errstr(rc)}});
        }
        ++background_runs_;
        lock.lock();
        // Copied this pass: the count is since the WAL last started over, which it may have done.
        const int fresh = copied >= copied_before_ ? copied - copied_before_ : copied;
        copied_before_ = copied;
        // Everything this pass saw is in the database, and the pass was short, so little came
        // after it: the writer can finish cheaply. After a long pass, another pass goes first.
        if (rc == SQLITE_OK && wal_pages > 0 && copied == wal_pages &&
            fresh <= limits_.finishing_pages) {
            caught_up_ = true;
        }
    }
}

}  // namespace calrt::store
