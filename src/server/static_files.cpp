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

namespace {

// The chat page asks for the microphone and holds a conversation: no other site may frame it
// (clickjacking), and it runs only its own files. 'self' in connect-src also covers ws:/wss: to
// the page's own host and port (CSP Level 3), which is the relay's WebSocket. The AudioWorklet
// module is a script (script-src); the favicon is a data: URL (img-src). No inline script or
// style: the page has none, and tests/browser checks that nothing is refused.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; media-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Sent with every static file (review L12). X-Frame-Options for browsers without
// frame-ancestors; no Referer, so the service's URL does not leak to the booking links' sites.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kSecurityHeaders{{
    {"Content-Security-Policy", kContentSecurityPolicy},
    {"X-Frame-Options", "DENY"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"Cache-Control", "no-cache"},
}};

}  // namespace

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
    for (const auto& [name, value] : kSecurityHeaders) response.set_header(std::string(name), std::string(value));
    return response;
}

}  // namespace calrt::server
