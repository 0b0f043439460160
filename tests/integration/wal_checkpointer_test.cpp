// The webhook store's WAL checkpoints run on their own thread, off the writer's commits, and the
// writer checkpoints itself only when they fall behind.
#include "store/wal_checkpointer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/sqlite_schema.hpp"
#include "support/running_server.hpp"
#include "support/temp_dir.hpp"

namespace calrt::store {
namespace {

using namespace std::chrono_literals;

class WalCheckpointerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto connection = SqliteConnection::open(file, SqliteConnection::Mode::read_write, 1s);
        ASSERT_TRUE(connection) << connection.error().message;
        writer.emplace(std::move(*connection));
        ASSERT_TRUE(prepare_writer_database(*writer));
        ASSERT_TRUE(writer->execute("CREATE TABLE blobs (data BLOB)", "creating a table"));
    }

    // Each commit adds a few pages to the WAL.
    void commit_rows(int commits) {
        for (int i = 0; i < commits; ++i) {
            ASSERT_TRUE(writer->execute("INSERT INTO blobs VALUES (randomblob(10000))", "inserting"));
        }
    }

    // Frames in the WAL since it last started over (a PASSIVE checkpoint reports them).
    int wal_frames() {
        int frames = -1;
        sqlite3_wal_checkpoint_v2(writer->native_handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                  &frames, nullptr);
        return frames;
    }

    std::size_t rows() {
        auto count = writer->query_text("SELECT count(*) FROM blobs", "counting");
        return count ? std::stoul(*count) : 0;
    }

    test::TempDir dir;
    const std::filesystem::path file = dir.path() / "store.sqlite3";
    std::optional<SqliteConnection> writer;
};

TEST_F(WalCheckpointerTest, ItsThreadCheckpointsOnceTheWalPassesTheLimitAndTheWriterDoesNot) {
    auto checkpointer = WalCheckpointer::start(file, *writer, 1s, {.background_pages = 8, .writer_checkpoint_pages = 1'000'000});
    ASSERT_TRUE(checkpointer) << checkpointer.error().message;
    commit_rows(10);
    EXPECT_TRUE(test::wait_until([&] { return (*checkpointer)->background_checkpoints() >= 1; }));
    EXPECT_EQ((*checkpointer)->writer_checkpoints(), 0u);
    EXPECT_EQ(rows(), 10u);
}

TEST_F(WalCheckpointerTest, TheWriterCheckpointsItselfWhenTheWalOutgrowsItsBound) {
    auto checkpointer = WalCheckpointer::start(file, *writer, 1s, {.background_pages = 1'000'000, .writer_checkpoint_pages = 8});
    ASSERT_TRUE(checkpointer) << checkpointer.error().message;
    commit_rows(10);
    EXPECT_GE((*checkpointer)->writer_checkpoints(), 1u);  // inside the commits, synchronously
    EXPECT_EQ((*checkpointer)->background_checkpoints(), 0u);
    EXPECT_EQ(rows(), 10u);
}

TEST_F(WalCheckpointerTest, OnceAPassHasCaughtUpTheWritersNextCommitLetsTheWalStartOver) {
    auto checkpointer = WalCheckpointer::start(file, *writer, 1s, {.background_pages = 8, .writer_checkpoint_pages = 1'000'000});
    ASSERT_TRUE(checkpointer) << checkpointer.error().message;
    // Commit until a background pass has copied everything it saw; it then waits for the writer.
    int committed = 0;
    ASSERT_TRUE(test::wait_until([&] {
        if ((*checkpointer)->caught_up()) return true;
        commit_rows(1);
        ++committed;
        return false;
    }));
    const auto finished_before = (*checkpointer)->finishing_checkpoints();

    // This commit's frames still go at the WAL's end; then its hook copies what came after the
    // pass, and the next transaction starts the WAL over, at the start of the file.
    commit_rows(1);
    ASSERT_EQ((*checkpointer)->finishing_checkpoints(), finished_before + 1);
    const auto wal_bytes = std::filesystem::file_size(file.string() + "-wal");
    ASSERT_TRUE(writer->execute("INSERT INTO blobs VALUES (x'00')", "inserting a small row"));

    EXPECT_LE(wal_frames(), 2) << "the WAL started over with the last commit";
    EXPECT_EQ(std::filesystem::file_size(file.string() + "-wal"), wal_bytes)
        << "the WAL file is written over, not grown";
    EXPECT_EQ((*checkpointer)->writer_checkpoints(), 0u);
    EXPECT_EQ(rows(), static_cast<std::size_t>(committed) + 2);
}

TEST_F(WalCheckpointerTest, AfterItIsGoneCommitsGoOnAndNothingIsLost) {
    {
        auto checkpointer = WalCheckpointer::start(file, *writer, 1s, {.background_pages = 8, .writer_checkpoint_pages = 16});
        ASSERT_TRUE(checkpointer);
        commit_rows(5);
    }
    commit_rows(5);  // the hook is removed: nothing calls into the destroyed checkpointer
    EXPECT_EQ(rows(), 10u);
}

}  // namespace
}  // namespace calrt::store
