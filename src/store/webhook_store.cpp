#include "calrt/store/webhook_store.hpp"

#include <algorithm>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>
#include <system_error>

#include "calrt/core/logging.hpp"
#include "delivery_reader.hpp"
#include "group_commit_writer.hpp"
#include "store_schema.hpp"

namespace calrt::store {
namespace asio = boost::asio;

namespace {

// Resumes an awaiting coroutine on its own executor: the writer thread only posts, so no caller
// code runs on it, and the tracked executor keeps the caller's io_context alive until then.
template <class Handler>
class ResumeOnCallerExecutor final : public StoreCompletion {
  public:
    explicit ResumeOnCallerExecutor(Handler handler)
        : handler_(std::move(handler)),
          executor_(asio::prefer(asio::get_associated_executor(handler_),
                                 asio::execution::outstanding_work.tracked)) {}

    void complete(Result<StoreOutcome> outcome) override {
        asio::post(executor_,
                   [handler = std::move(handler_), outcome = std::move(outcome)]() mutable {
                       std::move(handler)(std::move(outcome));
                   });
    }

  private:
    Handler handler_;
    std::decay_t<decltype(asio::prefer(std::declval<asio::associated_executor_t<Handler>>(),
                                       asio::execution::outstanding_work.tracked))>
        executor_;
};

class FulfilPromise final : public StoreCompletion {
  public:
    std::future<Result<StoreOutcome>> future() { return promise_.get_future(); }
    void complete(Result<StoreOutcome> outcome) override { promise_.set_value(std::move(outcome)); }

  private:
    std::promise<Result<StoreOutcome>> promise_;
};

}  // namespace

struct WebhookStore::Impl {
    Impl(StoreOptions opts, std::filesystem::path file, SqliteConnection writer_connection)
        : options(std::move(opts)),
          database_file(std::move(file)),
          own_metrics(options.metrics ? nullptr : std::make_unique<MetricsRegistry>()),
          metrics(options.metrics ? *options.metrics : *own_metrics),
          feed(metrics),
          reader(database_file, options.busy_timeout),
          writer(
              std::move(writer_connection),
              WriterLimits{std::max<std::size_t>(options.max_batch_size, 1), options.max_pending},
              feed, metrics),
          read_pool(std::max(options.read_threads, 1u)) {}

    const StoreOptions options;
    const std::filesystem::path database_file;
    std::unique_ptr<MetricsRegistry> own_metrics;
    MetricsRegistry& metrics;
    DeliveryFeed feed;  // declared before the writer, which publishes to it until it stops
    DeliveryReader reader;
    GroupCommitWriter writer;
    asio::thread_pool read_pool;
};

Result<std::unique_ptr<WebhookStore>> WebhookStore::open(StoreOptions options) {
    std::error_code ec;
    std::filesystem::create_directories(options.data_dir, ec);
    if (ec) {
        return Error::make(ErrorKind::unavailable, "store_unavailable",
                           "webhook store: cannot create DATA_DIR " + options.data_dir.string() +
                               ": " + ec.message());
    }
    auto file = options.data_dir / options.file_name;
    auto connection =
        SqliteConnection::open(file, SqliteConnection::Mode::read_write, options.busy_timeout);
    if (!connection) return connection.error();
    if (auto prepared = prepare_writer_database(*connection); !prepared) return prepared.error();

    auto impl = std::make_unique<Impl>(std::move(options), std::move(file), std::move(*connection));
    if (auto readable = impl->reader.check(); !readable) return readable.error();
    if (auto started = impl->writer.start(); !started) return started.error();
    log::info("webhook store open", {{"file", impl->database_file.string()},
                                     {"schema_version", latest_schema_version()}});
    return std::unique_ptr<WebhookStore>(new WebhookStore(std::move(impl)));
}

WebhookStore::WebhookStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebhookStore::~WebhookStore() {
    impl_->read_pool
        .join();  // reads already started finish; the thread pool's destructor would drop them
}

asio::awaitable<Result<StoreOutcome>> WebhookStore::store(WebhookDelivery delivery) {
    auto& writer = impl_->writer;
    co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&,
                                            void(Result<StoreOutcome>)>(
        [&writer](auto handler, WebhookDelivery pending) {
            using Handler = decltype(handler);
            writer.submit(std::move(pending),
                          std::make_unique<ResumeOnCallerExecutor<Handler>>(std::move(handler)));
        },
        asio::use_awaitable, std::move(delivery));
}

Result<StoreOutcome> WebhookStore::store_blocking(WebhookDelivery delivery) {
    auto completion = std::make_unique<FulfilPromise>();
    auto outcome = completion->future();
    impl_->writer.submit(std::move(delivery), std::move(completion));
    return outcome.get();
}

namespace {

// A named coroutine rather than a lambda: GCC 12 destroys the by-value captures of a coroutine
// lambda twice, so the query travels as a parameter instead.
asio::awaitable<Result<ListPage>> list_on_reader(DeliveryReader& reader, ListQuery query) {
    co_return reader.list(query);
}

}  // namespace

asio::awaitable<Result<ListPage>> WebhookStore::list(ListQuery query) {
    co_return co_await asio::co_spawn(impl_->read_pool.get_executor(),
                                      list_on_reader(impl_->reader, std::move(query)), asio::use_awaitable);
}

Result<ListPage> WebhookStore::list_blocking(const ListQuery& query) {
    return impl_->reader.list(query);
}

asio::awaitable<Result<std::uint64_t>> WebhookStore::count() {
    co_return co_await asio::co_spawn(
        impl_->read_pool.get_executor(),
        [&reader = impl_->reader]() -> asio::awaitable<Result<std::uint64_t>> {
            co_return reader.count();
        },
        asio::use_awaitable);
}

Result<std::uint64_t> WebhookStore::count_blocking() { return impl_->reader.count(); }

DeliveryFeed& WebhookStore::feed() noexcept { return impl_->feed; }

const std::filesystem::path& WebhookStore::database_file() const noexcept {
    return impl_->database_file;
}

}  // namespace calrt::store
