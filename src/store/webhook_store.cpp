#include "calrt/store/webhook_store.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>
#include <system_error>

#include "calrt/core/logging.hpp"
#include "postgres_backend.hpp"
#include "postgres_schema.hpp"
#include "sqlite_backend.hpp"
#include "sqlite_schema.hpp"

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
    explicit Impl(StoreOptions opts)
        : options(std::move(opts)),
          own_metrics(options.metrics ? nullptr : std::make_unique<MetricsRegistry>()),
          metrics(options.metrics ? *options.metrics : *own_metrics),
          feed(metrics),
          read_pool(std::max(options.read_threads, 1u)),
          prune_strand(asio::make_strand(read_pool)),
          prune_timer(prune_strand) {}

    const StoreOptions options;
    std::unique_ptr<MetricsRegistry> own_metrics;
    MetricsRegistry& metrics;
    DeliveryFeed feed;  // declared before the backend, which publishes to it until it stops
    std::unique_ptr<StoreBackend> backend;
    asio::thread_pool read_pool;
    // The retention prune (audit log, claims, budgets) runs on the read pool, its timer on a
    // strand of its own so that the destructor can cancel it from another thread.
    asio::strand<asio::thread_pool::executor_type> prune_strand;
    asio::steady_timer prune_timer;
    std::atomic<bool> closing{false};
};

namespace {

Timestamp now_ms() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
}

// Deletes the self-service changes older than the retention (cheap: an indexed range of a table
// that grows by a row per change).
void prune_expired_changes(WebhookStore::Impl& impl) {
    const auto retention = impl.options.self_service_audit_retention;
    if (retention.count() <= 0) return;
    const auto cutoff = now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(retention);
    auto removed = impl.backend->prune_changes(cutoff);
    if (!removed) {
        log::warn("self-service audit log: deleting expired changes failed; trying again later",
                  {{"code", removed.error().code}, {"message", removed.error().message}});
    } else if (*removed > 0) {
        log::info("self-service audit log: expired changes deleted",
                  {{"deleted", *removed}, {"retention_days", retention.count()}});
    }
}

// Deletes once-claims and budget windows past kSharedStateRetention, which nobody asks about
// again: without it the tables would grow by a row per phone call for ever.
void prune_expired_shared_state(WebhookStore::Impl& impl) {
    auto removed = impl.backend->shared_state().prune(now_ms() - kSharedStateRetention);
    if (!removed) {
        log::warn("webhook store: deleting expired claims and budgets failed; trying again later",
                  {{"code", removed.error().code}, {"message", removed.error().message}});
    } else if (*removed > 0) {
        log::info("webhook store: expired claims and budgets deleted", {{"deleted", *removed}});
    }
}

void prune_expired(WebhookStore::Impl& impl) {
    prune_expired_changes(impl);
    prune_expired_shared_state(impl);
}

void schedule_prune(WebhookStore::Impl& impl) {
    impl.prune_timer.expires_after(impl.options.retention_prune_interval);
    impl.prune_timer.async_wait([&impl](const boost::system::error_code& ec) {
        if (ec || impl.closing) return;
        prune_expired(impl);
        schedule_prune(impl);
    });
}

}  // namespace

Result<std::unique_ptr<WebhookStore>> WebhookStore::open(StoreOptions options) {
    auto impl = std::make_unique<Impl>(std::move(options));
    auto backend = impl->options.database_url.empty()
                       ? open_sqlite_backend(impl->options, impl->feed, impl->metrics)
                       : open_postgres_backend(impl->options, impl->feed, impl->metrics);
    if (!backend) return backend.error();
    impl->backend = std::move(*backend);
    prune_expired(*impl);
    asio::post(impl->prune_strand, [&impl = *impl] { schedule_prune(impl); });
    log::info("webhook store open", {{"location", impl->backend->location()},
                                     {"schema_version", impl->options.database_url.empty()
                                                            ? latest_sqlite_schema_version()
                                                            : latest_postgres_schema_version()}});
    return std::unique_ptr<WebhookStore>(new WebhookStore(std::move(impl)));
}

WebhookStore::WebhookStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebhookStore::~WebhookStore() {
    // A waiting timer is work that join() would wait for; the flag stops a prune already running
    // from arming it again.
    impl_->closing = true;
    asio::post(impl_->prune_strand, [&impl = *impl_] { impl.prune_timer.cancel(); });
    impl_->read_pool
        .join();  // reads already started finish; the thread pool's destructor would drop them
    impl_->backend.reset();  // commits and completes what is queued while the feed still exists
}

asio::awaitable<Result<StoreOutcome>> WebhookStore::store(WebhookDelivery delivery) {
    auto& backend = *impl_->backend;
    co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&,
                                            void(Result<StoreOutcome>)>(
        [&backend](auto handler, WebhookDelivery pending) {
            using Handler = decltype(handler);
            backend.submit(std::move(pending),
                          std::make_unique<ResumeOnCallerExecutor<Handler>>(std::move(handler)));
        },
        asio::use_awaitable, std::move(delivery));
}

Result<StoreOutcome> WebhookStore::store_blocking(WebhookDelivery delivery) {
    auto completion = std::make_unique<FulfilPromise>();
    auto outcome = completion->future();
    impl_->backend->submit(std::move(delivery), std::move(completion));
    return outcome.get();
}

namespace {

// A named coroutine rather than a lambda: GCC 12 destroys the by-value captures of a coroutine
// lambda twice, so the query travels as a parameter instead.
asio::awaitable<Result<ListPage>> list_on_reader(StoreBackend& backend, ListQuery query) {
    co_return backend.list(query);
}

}  // namespace

asio::awaitable<Result<ListPage>> WebhookStore::list(ListQuery query) {
    co_return co_await asio::co_spawn(impl_->read_pool.get_executor(),
                                      list_on_reader(*impl_->backend, std::move(query)), asio::use_awaitable);
}

Result<ListPage> WebhookStore::list_blocking(const ListQuery& query) {
    return impl_->backend->list(query);
}

asio::awaitable<Result<std::uint64_t>> WebhookStore::count() {
    co_return co_await asio::co_spawn(
        impl_->read_pool.get_executor(),
        [&backend = *impl_->backend]() -> asio::awaitable<Result<std::uint64_t>> {
            co_return backend.count();
        },
        asio::use_awaitable);
}

Result<std::uint64_t> WebhookStore::count_blocking() { return impl_->backend->count(); }

namespace {

// Named coroutines, not lambdas: GCC 12 destroys a coroutine lambda's by-value captures twice.
asio::awaitable<Result<std::int64_t>> record_change_on_pool(StoreBackend& backend, SelfServiceChangeRecord change) {
    co_return backend.record_change(change);
}

asio::awaitable<Result<ChangePage>> list_changes_on_pool(StoreBackend& backend, ChangeQuery query) {
    co_return backend.list_changes(query);
}

}  // namespace

asio::awaitable<Result<std::int64_t>> WebhookStore::record_change(SelfServiceChangeRecord change) {
    co_return co_await asio::co_spawn(impl_->read_pool.get_executor(),
                                      record_change_on_pool(*impl_->backend, std::move(change)), asio::use_awaitable);
}

Result<std::int64_t> WebhookStore::record_change_blocking(const SelfServiceChangeRecord& change) {
    return impl_->backend->record_change(change);
}

asio::awaitable<Result<ChangePage>> WebhookStore::list_changes(ChangeQuery query) {
    co_return co_await asio::co_spawn(impl_->read_pool.get_executor(),
                                      list_changes_on_pool(*impl_->backend, std::move(query)), asio::use_awaitable);
}

Result<ChangePage> WebhookStore::list_changes_blocking(const ChangeQuery& query) {
    return impl_->backend->list_changes(query);
}

namespace {

// Named coroutines, not lambdas: GCC 12 destroys a coroutine lambda's by-value captures twice.
asio::awaitable<Result<bool>> claim_once_on_pool(StoreBackend& backend, std::string key) {
    co_return backend.shared_state().claim_once(key);
}

asio::awaitable<Result<BudgetTaken>> take_budget_on_pool(StoreBackend& backend, BudgetTake take) {
    co_return backend.shared_state().take_budget(take);
}

asio::awaitable<Result<std::int64_t>> give_back_budget_on_pool(StoreBackend& backend,
                                                               std::string key,
                                                               std::int64_t window,
                                                               std::int64_t amount) {
    co_return backend.shared_state().give_back_budget(key, window, amount);
}

asio::awaitable<Result<std::int64_t>> raise_shared_value_on_pool(StoreBackend& backend, std::string key,
                                                                 std::int64_t value) {
    co_return backend.shared_state().raise_shared_value(key, value);
}

asio::awaitable<Result<std::int64_t>> shared_value_on_pool(StoreBackend& backend, std::string key) {
    co_return backend.shared_state().shared_value(key);
}

asio::awaitable<Result<std::optional<std::int64_t>>> take_lease_on_pool(StoreBackend& backend, LeaseTake take) {
    co_return backend.shared_state().take_lease(take);
}

asio::awaitable<Result<void>> release_lease_on_pool(StoreBackend& backend, std::string key, std::int64_t slot,
                                                    std::string holder) {
    co_return backend.shared_state().release_lease(key, slot, holder);
}

asio::awaitable<Result<std::uint64_t>> renew_leases_on_pool(StoreBackend& backend, std::string replica,
                                                            Timestamp expires_at) {
    co_return backend.shared_state().renew_leases(replica, expires_at);
}

Error negative_budget_amount() {
    return Error::make(ErrorKind::invalid_argument, "invalid_budget_amount",
                       "a budget amount must not be negative");
}

}  // namespace

asio::awaitable<Result<bool>> WebhookStore::claim_once(std::string key) {
    co_return co_await asio::co_spawn(impl_->read_pool.get_executor(),
                                      claim_once_on_pool(*impl_->backend, std::move(key)),
                                      asio::use_awaitable);
}

asio::awaitable<Result<BudgetTaken>> WebhookStore::take_budget(BudgetTake take) {
    if (take.amount < 0) co_return negative_budget_amount();
    co_return co_await asio::co_spawn(impl_->read_pool.get_executor(),
                                      take_budget_on_pool(*impl_->backend, std::move(take)),
                                      asio::use_awaitable);
}

asio::awaitable<Result<std::int64_t>> WebhookStore::give_back_budget(std::string key,
                                                                     std::int64_t window,
                                                                     std::int64_t amount) {
    if (amount < 0) co_return negative_budget_amount();
    co_return co_await asio::co_spawn(
        impl_->read_pool.get_executor(),
        give_back_budget_on_pool(*impl_->backend, std::move(key), window, amount),
        asio::use_awaitable);
}

asio::awaitable<Result<std::int64_t>> WebhookStore::raise_shared_value(std::string key, std::int64_t value) {
    co_return co_await asio::co_spawn(impl_->read_pool.get_executor(),
                                      raise_shared_value_on_pool(*impl_->backend, std::move(key), value),
                                      asio::use_awaitable);
}

asio::awaitable<Result<std::int64_t>> WebhookStore::shared_value(std::string key) {
    co_return co_await asio::co_spawn(impl_->read_pool.get_executor(),
                                      shared_value_on_pool(*impl_->backend, std::move(key)), asio::use_awaitable);
}

asio::awaitable<Result<std::optional<std::int64_t>>> WebhookStore::take_lease(LeaseTake take) {
    co_return co_await asio::co_spawn(impl_->read_pool.get_executor(),
                                      take_lease_on_pool(*impl_->backend, std::move(take)), asio::use_awaitable);
}

asio::awaitable<Result<void>> WebhookStore::release_lease(std::string key, std::int64_t slot, std::string holder) {
    co_return co_await asio::co_spawn(
        impl_->read_pool.get_executor(),
        release_lease_on_pool(*impl_->backend, std::move(key), slot, std::move(holder)), asio::use_awaitable);
}

asio::awaitable<Result<std::uint64_t>> WebhookStore::renew_leases(std::string replica, Timestamp expires_at) {
    co_return co_await asio::co_spawn(impl_->read_pool.get_executor(),
                                      renew_leases_on_pool(*impl_->backend, std::move(replica), expires_at),
                                      asio::use_awaitable);
}

DeliveryFeed& WebhookStore::feed() noexcept { return impl_->feed; }

std::filesystem::path WebhookStore::database_file() const { return impl_->backend->database_file(); }

std::string WebhookStore::location() const { return impl_->backend->location(); }

}  // namespace calrt::store
