#pragma once
// The chat page's static files, read once at start-up from WEB_ROOT and served from memory: no file
// system access per request, and a path that is not one of those files (`/../x`, encoded or not)
// simply is not found.

#include "calrt/server/http_message.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace calrt::server {

class StaticFiles {
public:
    // Loads every regular file below `root` (not following links out of it). A missing root is
    // allowed: every request is then a 404.
    explicit StaticFiles(const std::filesystem::path& root);

    Response serve(const Request& request) const;
    std::size_t size() const { return files_.size(); }

private:
    struct File {
        std::string content_type;
        std::string body;
    };
    std::map<std::string, File, std::less<>> files_;  // keyed by URL path, e.g. "/index.html"
};

std::string_view content_type_for(std::string_view extension);

}  // namespace calrt::server
