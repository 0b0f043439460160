#include "postgres_shared_counters.hpp"

#include <chrono>
#include <utility>

#include "unix_millis.hpp"

namespace calrt::store {
namespace {

std::string now_millis() {
    return std::to_string(to_unix_millis(std::chrono::system_clock::now()));
}

}  // namespace

PostgresSharedCounters::PostgresSharedCounters(PostgresSettings settings)
    : settings_(std::move(settings)) {}

Result<PostgresResult> PostgresSharedCounters::run(std::string_view sql,
                                                   std::span<const std::string> params,
                                                   std::string_view what) {
    if (!connection_) {
        auto fresh = PostgresConnection::connect(settings_);
        if (!fresh) return fresh.error();
        connection_.emplace(std::move(*fresh));
    }
    auto result = connection_->execute(sql, params, what);
    if (!result && !connection_->usable()) connection_.reset();
    return result;
}

Result<bool> PostgresSharedCounters::claim_once(std::string_view key) {
    const std::string params[] = {std::string(key), now_millis()};
    std::lock_guard lock(mutex_);
    // A row comes back only from the insert that created the key; a concurrent one waits for it
    // to commit and then finds the conflict (PostgreSQL, "INSERT", ON CONFLICT DO NOTHING).
    auto inserted =
        run("INSERT INTO public.once_claims (claim_key, claimed_at_ms) VALUES ($1, $2) "
            "ON CONFLICT (claim_key) DO NOTHING RETURNING 1",
            params, "claiming a key");
    if (!inserted) return inserted.error();
    return inserted->rows() == 1;
}

Result<BudgetTaken> PostgresSharedCounters::take_budget(const BudgetTake& take) {
    const std::string params[] = {take.key, std::to_string(take.window),
                                  std::to_string(take.amount), now_millis(),
                                  std::to_string(take.limit)};
    std::lock_guard lock(mutex_);
    // One statement, atomic across replicas: a new window is inserted at `amount` (the WHERE of
    // the SELECT refuses one that alone exceeds the limit); an existing one is locked, and its
    // condition evaluated on the newest committed use when another replica's take got there
    // first (PostgreSQL, "INSERT", ON CONFLICT DO UPDATE: "the row … is locked … the WHERE
    // condition is re-evaluated"). No row back: refused, and nothing changed.
    auto taken = run(
        "INSERT INTO public.shared_budgets AS t (budget_key, window_index, used, updated_at_ms) "
        "SELECT $1, $2::bigint, $3::bigint, $4::bigint WHERE $5::bigint <= 0 OR $3::bigint <= "
        "$5::bigint "
        "ON CONFLICT (budget_key, window_index) DO UPDATE SET "
        "used = t.used + EXCLUDED.used, updated_at_ms = EXCLUDED.updated_at_ms "
        "WHERE $5::bigint <= 0 OR t.used + EXCLUDED.used <= $5::bigint "
        "RETURNING t.used",
        params, "taking from a budget");
    if (!taken) return taken.error();
    if (taken->rows() == 1) return BudgetTaken{true, taken->int64(0, 0)};

    const std::string window[] = {take.key, std::to_string(take.window)};
    auto current =
        run("SELECT coalesce((SELECT used FROM public.shared_budgets "
            "WHERE budget_key = $1 AND window_index = $2::bigint), 0)",
            window, "reading a budget");
    if (!current) return current.error();
    return BudgetTaken{false, current->int64(0, 0)};
}

Result<std::int64_t> PostgresSharedCounters::give_back_budget(std::string_view key,
                                                              std::int64_t window,
                                                              std::int64_t amount) {
    const std::string params[] = {std::string(key), std::to_string(window), std::to_string(amount),
                                  now_millis()};
    std::lock_guard lock(mutex_);
    auto given = run(
        "WITH given AS (UPDATE public.shared_budgets SET used = greatest(used - $3::bigint, 0), "
        "updated_at_ms = $4::bigint WHERE budget_key = $1 AND window_index = $2::bigint "
        "RETURNING used) SELECT coalesce((SELECT used FROM given), 0)",
        params, "giving back to a budget");
    if (!given) return given.error();
    return given->int64(0, 0);
}

Result<std::int64_t> PostgresSharedCounters::raise_shared_value(std::string_view key, std::int64_t value) {
    const std::string params[] = {std::string(key), std::to_string(kSharedValueWindow), std::to_string(value),
                                  now_millis()};
    std::lock_guard lock(mutex_);
    // Atomic across replicas as take_budget is: a concurrent raise is waited for, and the larger
    // value wins whichever commits first.
    auto raised = run(
        "INSERT INTO public.shared_budgets AS t (budget_key, window_index, used, updated_at_ms) "
        "VALUES ($1, $2::bigint, $3::bigint, $4::bigint) "
        "ON CONFLICT (budget_key, window_index) DO UPDATE SET "
        "used = greatest(t.used, EXCLUDED.used), updated_at_ms = EXCLUDED.updated_at_ms "
        "RETURNING t.used",
        params, "raising a shared value");
    if (!raised) return raised.error();
    return raised->int64(0, 0);
}

Result<std::int64_t> PostgresSharedCounters::shared_value(std::string_view key) {
    const std::string params[] = {std::string(key), std::to_string(kSharedValueWindow)};
    std::lock_guard lock(mutex_);
    auto current = run(
        "SELECT coalesce((SELECT used FROM public.shared_budgets "
        "WHERE budget_key = $1 AND window_index = $2::bigint), 0)",
        params, "reading a shared value");
    if (!current) return current.error();
    return current->int64(0, 0);
}

Result<std::optional<std::int64_t>> PostgresSharedCounters::take_lease(const LeaseTake& take) {
    std::lock_guard lock(mutex_);
    // One statement per place, each atomic across replicas: an expired lease's row is locked and
    // its WHERE evaluated on the newest committed lease, so of two replicas after the same place
    // one gets it and the other goes on to the next (as take_budget's upsert).
    for (std::int64_t slot = 0; slot < take.places; ++slot) {
        const std::string params[] = {take.key,
                                      std::to_string(slot),
                                      take.holder,
                                      take.replica,
                                      std::to_string(take.expires_at.time_since_epoch().count()),
                                      std::to_string(take.now.time_since_epoch().count())};
        auto taken = run(
            "INSERT INTO public.session_leases AS t (lease_key, slot, holder, replica, expires_at_ms) "
            "VALUES ($1, $2::bigint, $3, $4, $5::bigint) "
            "ON CONFLICT (lease_key, slot) DO UPDATE SET holder = EXCLUDED.holder, "
            "replica = EXCLUDED.replica, expires_at_ms = EXCLUDED.expires_at_ms "
            "WHERE t.expires_at_ms <= $6::bigint RETURNING t.slot",
            params, "taking a lease");
        if (!taken) return taken.error();
        if (taken->rows() == 1) return std::optional<std::int64_t>(slot);
    }
    return std::optional<std::int64_t>();
}

Result<void> PostgresSharedCounters::release_lease(std::string_view key, std::int64_t slot, std::string_view holder) {
    const std::string params[] = {std::string(key), std::to_string(slot), std::string(holder)};
    std::lock_guard lock(mutex_);
    auto released =
        run("DELETE FROM public.session_leases WHERE lease_key = $1 AND slot = $2::bigint AND holder = $3",
            params, "releasing a lease");
    if (!released) return released.error();
    return {};
}

Result<std::uint64_t> PostgresSharedCounters::renew_leases(std::string_view replica, Timestamp expires_at) {
    const std::string params[] = {std::string(replica), std::to_string(expires_at.time_since_epoch().count())};
    std::lock_guard lock(mutex_);
    auto renewed = run(
        "WITH renewed AS (UPDATE public.session_leases SET expires_at_ms = $2::bigint WHERE replica = $1 "
        "RETURNING 1) SELECT count(*) FROM renewed",
        params, "renewing leases");
    if (!renewed) return renewed.error();
    return static_cast<std::uint64_t>(renewed->int64(0, 0));
}

Result<std::uint64_t> PostgresSharedCounters::prune(Timestamp cutoff) {
    const std::string params[] = {std::to_string(cutoff.time_since_epoch().count())};
    std::lock_guard lock(mutex_);
    auto removed =
        run("WITH claims AS (DELETE FROM public.once_claims WHERE claimed_at_ms < $1::bigint "
            "RETURNING 1), budgets AS (DELETE FROM public.shared_budgets WHERE updated_at_ms < "
            "$1::bigint RETURNING 1), leases AS (DELETE FROM public.session_leases WHERE "
            "expires_at_ms < $1::bigint RETURNING 1) "
            "SELECT (SELECT count(*) FROM claims) + (SELECT count(*) FROM budgets) + "
            "(SELECT count(*) FROM leases)",
            params, "pruning claims and budgets");
    if (!removed) return removed.error();
    return static_cast<std::uint64_t>(removed->int64(0, 0));
}

}  // namespace calrt::store
