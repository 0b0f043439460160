#include "calrt/store/self_service_change.hpp"

namespace calrt::store {

std::string change_email_key(std::string_view email) {
    std::string key(email);
    for (char& c : key) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return key;
}

}  // namespace calrt::store
