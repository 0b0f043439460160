#pragma once
// Shared resources a client can take from everyone else, counted so that no one client takes them
// all (review items M2, N1, N2, N8): connections per address and per network, the memory of
// request bodies being buffered (per client address too), and connections being refused. Each
// hands out RAII tickets; dropping a ticket gives the resource back. Thread-safe.

#include <atomic>
#include <cstddef>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>

namespace calrt::server {

// How many connections one client may hold, by tier; 0 turns a tier off.
struct ConnectionCaps {
    std::size_t per_address = 0;  // one IPv4 address or one IPv6 /64 (address_bucket())
    std::size_t per_ipv6_48 = 0;  // one IPv6 /48 (network_bucket()): many /64s of one site
    std::size_t per_ipv4_24 = 0;  // one IPv4 /24 (network_bucket())
};

class AddressConnections {
public:
    explicit AddressConnections(ConnectionCaps caps) : caps_(caps) {}

    // Which tier refused a connection.
    enum class Refusal { address, network };

    class Slot {
    public:
        Slot(AddressConnections* owner, std::string address_key, std::string network_key)
            : owner_(owner), address_key_(std::move(address_key)), network_key_(std::move(network_key)) {}
        Slot(Slot&& other) noexcept
            : owner_(std::exchange(other.owner_, nullptr)),
              address_key_(std::move(other.address_key_)),
              network_key_(std::move(other.network_key_)) {}
        Slot& operator=(Slot&& other) noexcept {
            if (this != &other) {
                release();
                owner_ = std::exchange(other.owner_, nullptr);
                address_key_ = std::move(other.address_key_);
                network_key_ = std::move(other.network_key_);
            }
            return *this;
        }
        ~Slot() { release(); }

    private:
        void release() {
            if (owner_) owner_->release(address_key_, network_key_);
            owner_ = nullptr;
        }
        AddressConnections* owner_;
        std::string address_key_;
        std::string network_key_;  // empty: no network tier applies to this address
    };

    // A slot for one more connection from `address` (the client's address as text), or the tier
    // that is full: its address bucket already holds caps.per_address, or its network (the /48 of an
    // IPv6 address, the /24 of an IPv4 one, where that tier is on) holds its cap.
    std::variant<Slot, Refusal> take(std::string_view address);
    // Connections held now under `key` (an address_bucket() or a network_bucket()).
    std::size_t held_by(std::string_view key) const;
    // Addresses and networks with at least one connection: the tables hold nothing else.
    std::size_t tracked_keys() const;

private:
    void release(const std::string& address_key, const std::string& network_key);
    std::size_t network_cap(std::string_view network_key) const;

    const ConnectionCaps caps_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::size_t> by_address_;
    std::unordered_map<std::string, std::size_t> by_network_;
};

// Memory of request bodies being read. Bodies are charged as their bytes arrive (a declared
// Content-Length reserves nothing by itself), all of them together up to `total_bytes`, and the
// bodies of one client address up to `per_address_bytes`, so one address cannot hold the budget
// every other client needs (review item N1).
class BodyBudget {
public:
    BodyBudget(std::size_t total_bytes, std::size_t per_address_bytes)
        : total_(total_bytes), per_address_(per_address_bytes) {}

    // Why a reservation could not grow.
    enum class Shortfall { none, server, address };

    class Reservation {
    public:
        Reservation() = default;
        Reservation(BodyBudget* owner, std::string address_key) : owner_(owner), key_(std::move(address_key)) {}
        Reservation(Reservation&& other) noexcept
            : owner_(std::exchange(other.owner_, nullptr)),
              key_(std::move(other.key_)),
              bytes_(std::exchange(other.bytes_, 0)) {}
        Reservation& operator=(Reservation&& other) noexcept {
            if (this != &other) {
                release();
                owner_ = std::exchange(other.owner_, nullptr);
                key_ = std::move(other.key_);
                bytes_ = std::exchange(other.bytes_, 0);
            }
            return *this;
        }
        ~Reservation() { release(); }

        // Holds `bytes` in all from now on (never less than already held); on a shortfall it holds
        // what it held before.
        Shortfall grow_to(std::size_t bytes);
        std::size_t bytes() const { return bytes_; }

    private:
        void release() {
            if (owner_) owner_->give_back(key_, bytes_);
            owner_ = nullptr;
            bytes_ = 0;
        }
        BodyBudget* owner_ = nullptr;
        std::string key_;
        std::size_t bytes_ = 0;
    };

    // A reservation for one body from `address_key` (address_bucket() of the client), holding
    // nothing yet.
    Reservation open(std::string address_key) { return Reservation(this, std::move(address_key)); }
    std::size_t in_use() const;
    std::size_t in_use_by(std::string_view address_key) const;
    std::size_t tracked_addresses() const;

private:
    Shortfall take(const std::string& key, std::size_t more);
    void give_back(const std::string& key, std::size_t bytes);

    const std::size_t total_;
    const std::size_t per_address_;
    mutable std::mutex mutex_;
    std::size_t in_use_ = 0;
    std::unordered_map<std::string, std::size_t> by_address_;
};

// Refusals being written and closed at once: past the bound, a refused connection is reset without
// an answer, so a flood of connections past the caps costs a descriptor for no time at all
// (review item N8).
class RefusalsInFlight {
public:
    explicit RefusalsInFlight(std::size_t limit) : limit_(limit) {}

    // Counts one refusal until it is destroyed. It keeps `keep_alive` (what owns the counter) until
    // then: a refusal's frame may be destroyed with the io_context, after the server that owns the
    // counter has gone (review N11).
    class Ticket {
    public:
        Ticket(RefusalsInFlight* owner, std::shared_ptr<const void> keep_alive)
            : owner_(owner), keep_alive_(std::move(keep_alive)) {}
        Ticket(Ticket&& other) noexcept
            : owner_(std::exchange(other.owner_, nullptr)), keep_alive_(std::move(other.keep_alive_)) {}
        Ticket& operator=(Ticket&&) = delete;
        ~Ticket() {
            if (owner_) owner_->count_.fetch_sub(1);
        }  // keep_alive_ goes after the count

    private:
        RefusalsInFlight* owner_;
        std::shared_ptr<const void> keep_alive_;
    };

    // A ticket to answer one more refusal, or nullopt when `limit` are being answered already.
    std::optional<Ticket> try_enter(std::shared_ptr<const void> keep_alive = {});
    std::size_t in_flight() const { return count_.load(); }

private:
    const std::size_t limit_;
    std::atomic<std::size_t> count_{0};
};

}  // namespace calrt::server
