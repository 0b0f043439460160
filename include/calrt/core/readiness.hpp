#pragma once
// Readiness of the service's components (store open, Calendly reachable, listening). Components
// report their own state; /readyz reads the whole picture.

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
    bool all_ready() const;
    std::map<std::string, Check> checks() const;

private:
    mutable std::mutex mutex_;
    std::map<std::string, Check, std::less<>> checks_;
};

}  // namespace calrt
