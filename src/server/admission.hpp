#pragma once
// Shared resources a client can take from everyone else, counted so that no one client takes them
// all (review item M2): connections per address, and the memory of request bodies being buffered.
// Both hand out RAII tickets; dropping a ticket gives the resource back. Thread-safe.

#include <atomic>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace calrt::server {

class AddressConnections {
public:
    explicit AddressConnections(std::size_t per_address_limit) : limit_(per_address_limit) {}

    class Slot {
    public:
        Slot(AddressConnections* owner, std::string key) : owner_(owner), key_(std::move(key)) {}
        Slot(Slot&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)), key_(std::move(other.key_)) {}
        Slot& operator=(Slot&& other) noexcept {
            if (this != &other) {
                release();
                owner_ = std::exchange(other.owner_, nullptr);
                key_ = std::move(other.key_);
            }
            return *this;
        }
        ~Slot() { release(); }

    private:
        void release() {
            if (owner_) owner_->release(key_);
            owner_ = nullptr;
        }
        AddressConnections* owner_;
        std::string key_;
    };

    // A slot for one more connection from `key` (address_bucket() of the peer), or nullopt when
    // that address already holds the limit.
    std::optional<Slot> take(std::string key);
    std::size_t tracked_addresses() const;

private:
    void release(const std::string& key);

    const std::size_t limit_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::size_t> open_;
};

class BodyBudget {
public:
    explicit BodyBudget(std::size_t total_bytes) : total_(total_bytes) {}

    class Reservation {
    public:
        Reservation() = default;
        Reservation(BodyBudget* owner, std::size_t bytes) : owner_(owner), bytes_(bytes) {}
        Reservation(Reservation&& other) noexcept
            : owner_(std::exchange(other.owner_, nullptr)), bytes_(other.bytes_) {}
        Reservation& operator=(Reservation&& other) noexcept {
            if (this != &other) {
                release();
                owner_ = std::exchange(other.owner_, nullptr);
                bytes_ = other.bytes_;
            }
            return *this;
        }
        ~Reservation() { release(); }

    private:
        void release() {
            if (owner_) owner_->in_use_.fetch_sub(bytes_);
            owner_ = nullptr;
        }
        BodyBudget* owner_ = nullptr;
        std::size_t bytes_ = 0;
    };

    // Room for a body of up to `bytes`, or nullopt when bodies being read already hold the budget.
    std::optional<Reservation> reserve(std::size_t bytes);
    std::size_t in_use() const { return in_use_.load(); }

private:
    const std::size_t total_;
    std::atomic<std::size_t> in_use_{0};
};

}  // namespace calrt::server
