#pragma once
// Readiness of the service's components (store open, Calendly reachable, listening). Components
// report their own state; /readyz reads the whole picture.

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace calrt {

class Readiness {
public:
    struct Check {
        bool ready = false;
        std::string detail;  // why not ready, or a note such as "sandbox data"
    };

    void set(std::string_view component, bool ready, std::string detail = {});
    // A component whose state is read when asked (e.g. what the Calendly client has learned),
    // instead of being set. `check` must be thread-safe and outlive the Readiness's readers.
    void watch(std::string_view component, std::function<Check()> check);
    bool all_ready() const;
    std::map<std::string, Check> checks() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, Check, std::less<>> checks_;
    std::map<std::string, std::function<Check()>, std::less<>> watched_;
};

}  // namespace calrt
