#pragma once
// One store test suite for both backends (issue 10): a test written against StoreBackendTest runs
// once on SQLite in a temp dir and once on PostgreSQL in a fresh database of the test cluster.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "calrt/core/metrics.hpp"
#include "calrt/store/webhook_store.hpp"
#include "support/temp_dir.hpp"

namespace calrt::test {

enum class StoreBackendKind { sqlite, postgres };

std::string store_backend_name(const ::testing::TestParamInfo<StoreBackendKind>& info);

// Holds the backend's write lock, as another process or replica could: the store's writer waits
// for it, so requests pile up deterministically until release().
class WriteBlocker {
  public:
    virtual ~WriteBlocker() = default;
    virtual void release() = 0;
};

class StoreBackendTest : public ::testing::TestWithParam<StoreBackendKind> {
  protected:
    // Options for this test's database: the same one on every call, so a test can reopen it.
    store::StoreOptions store_options(MetricsRegistry& metrics);
    std::unique_ptr<WriteBlocker> block_writes(const store::WebhookStore& store);
    // A write blocked by block_writes() fails after ~100 ms instead of waiting for the lock.
    void fail_blocked_writes_fast(store::StoreOptions& options);
    // Runs `sql` on the store's database from outside the store (to set up what only time would,
    // such as rows old enough to expire); the test fails when it does.
    void execute_sql(const store::WebhookStore& store, const std::string& sql);
    // The first column of the first row of `sql` as text ("" when there is no row).
    std::string query_text(const store::WebhookStore& store, const std::string& sql);

    TempDir dir_;
    std::string database_url_;  // set on the first store_options() for PostgreSQL
};

}  // namespace calrt::test

#define CALRT_FOR_BOTH_STORE_BACKENDS(suite)                                               \
    INSTANTIATE_TEST_SUITE_P(Backends, suite,                                              \
                             ::testing::Values(::calrt::test::StoreBackendKind::sqlite,    \
                                               ::calrt::test::StoreBackendKind::postgres), \
                             ::calrt::test::store_backend_name)
