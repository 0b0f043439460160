#include "calrt/server/static_files.hpp"

#include "calrt/server/responses.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace calrt::server {

std::string_view content_type_for(std::string_view extension) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
        {".wasm", "application/wasm"},
        {".map", "application/json"},
    }};
    for (const auto& [ext, type] : kTypes) {
        if (ext == extension) return type;
    }
    return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::filesystem::path& root) {
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) return;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
        std::ifstream in(it->path(), std::ios::binary);
        if (!in) continue;
        std::ostringstream body;
        body << in.rdbuf();
        const std::string url_path = "/" + std::filesystem::relative(it->path(), root, ec).generic_string();
        files_[url_path] = File{std::string(content_type_for(it->path().extension().string())), body.str()};
    }
}

Response StaticFiles::serve(const Request& request) const {
    std::string_view path = request.path;
    if (path == "/") path = "/index.html";
    const auto it = files_.find(path);
    if (it == files_.end()) {
        return error_response(Error::make(ErrorKind::not_found, "not_found", "no such page: " + request.path));
    }
    Response response;
    response.content_type = it->second.content_type;
    response.body = it->second.body;
    response.set_header("Cache-Control", "no-cache");
    response.set_header("X-Content-Type-Options", "nosniff");
    return response;
}

}  // namespace calrt::server
