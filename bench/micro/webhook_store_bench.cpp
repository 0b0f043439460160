// Webhook store throughput with concurrent writers, durable commits (WAL, synchronous=FULL) on a
// temporary directory: how many deliveries per second group commit acknowledges.
//   ./build/bench/micro_bench --benchmark_filter=WebhookStore --benchmark_format=json
#include <benchmark/benchmark.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <filesystem>
#include <latch>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "calrt/core/logging.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/store/webhook_store.hpp"

namespace {

namespace asio = boost::asio;
using calrt::store::WebhookDelivery;
using calrt::store::WebhookStore;

// A store in a fresh temporary directory, removed afterwards.
class TemporaryStore {
  public:
    TemporaryStore() {
        calrt::log::configure("warn", "text");
        std::string pattern =
            (std::filesystem::temp_directory_path() / "calrt-bench-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
        calrt::store::StoreOptions options;
        options.data_dir = dir_;
        options.metrics = &metrics_;
        auto opened = WebhookStore::open(options);
        if (!opened) throw std::runtime_error(opened.error().message);
        store_ = std::move(*opened);
    }
    ~TemporaryStore() {
        store_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    WebhookStore& store() { return *store_; }
    double mean_group_size() {
        auto& sizes = metrics_.histogram("webhook_store_group_commit_size", "");
        return sizes.count() ? sizes.sum() / static_cast<double>(sizes.count()) : 0;
    }

  private:
    std::filesystem::path dir_;
    calrt::MetricsRegistry metrics_;
    std::unique_ptr<WebhookStore> store_;
};

// A distinct invitee.created delivery for every `n`, about the size of a real one (~1.5 KiB).
WebhookDelivery delivery(std::uint64_t n) {
    const std::string uri =
        "https://api.calendly.com/scheduled_events/BENCH/invitees/" + std::to_string(n);
    std::string body =
        R"({"event":"invitee.created","created_at":"2024-05-01T10:00:00.000000Z",)"
        R"("created_by":"https://api.calendly.com/users/BENCH","payload":{"uri":")" +
        uri + R"(","email":"bench@example.com","name":"Bench Invitee","questions_and_answers":[)";
    body += R"({"question":"Anything to share?","answer":")" + std::string(1200, 'x') + R"("}]}})";
    auto parsed = calrt::store::parse_webhook_envelope(body);
    if (!parsed) throw std::logic_error(parsed.error().message);
    return std::move(*parsed);
}

std::atomic<std::uint64_t> next_invitee{0};

// N threads each storing one delivery at a time and waiting for its commit (the CLI/test API).
void BM_WebhookStoreBlockingWriters(benchmark::State& state) {
    static std::unique_ptr<TemporaryStore> shared;
    if (state.thread_index() == 0) shared = std::make_unique<TemporaryStore>();
    for (auto _ : state) {
        auto outcome = shared->store().store_blocking(delivery(next_invitee++));
        if (!outcome) state.SkipWithError(outcome.error().message.c_str());
    }
    state.SetItemsProcessed(state.iterations());
    if (state.thread_index() == 0) {
        state.counters["mean_group"] = shared->mean_group_size();
        shared.reset();
    }
}
BENCHMARK(BM_WebhookStoreBlockingWriters)->Threads(1)->Threads(4)->Threads(16)->UseRealTime();

// The server's pattern: `concurrency` coroutines on a two-thread event loop awaiting store() at
// once; one iteration is one round of them all.
void BM_WebhookStoreAwaitingCoroutines(benchmark::State& state) {
    const auto concurrency = static_cast<std::ptrdiff_t>(state.range(0));
    TemporaryStore temporary;
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::vector<std::jthread> loop;
    for (int i = 0; i < 2; ++i) loop.emplace_back([&io] { io.run(); });

    for (auto _ : state) {
        // Shared with the coroutines: the last count_down may still be inside the latch when wait()
        // returns.
        auto done = std::make_shared<std::latch>(concurrency);
        for (std::ptrdiff_t i = 0; i < concurrency; ++i) {
            asio::co_spawn(
                io,
                [&temporary, done,
                 d = delivery(next_invitee++)]() mutable -> asio::awaitable<void> {
                    auto outcome = co_await temporary.store().store(std::move(d));
                    if (!outcome) std::abort();  // a benchmark of failures would measure nothing
                    done->count_down();
                },
                asio::detached);
        }
        done->wait();
    }
    state.SetItemsProcessed(state.iterations() * concurrency);
    state.counters["mean_group"] = temporary.mean_group_size();
    work.reset();
    io.stop();
}
BENCHMARK(BM_WebhookStoreAwaitingCoroutines)->Arg(1)->Arg(16)->Arg(64)->Arg(256)->UseRealTime();

}  // namespace
