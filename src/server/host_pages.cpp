#include "calrt/server/host_pages.hpp"

#include "calrt/calendly/organization_directory.hpp"
#include "calrt/core/html_escape.hpp"
#include "calrt/server/responses.hpp"

namespace calrt::server {
namespace asio = boost::asio;

namespace {

Response not_found_page(std::string_view slug) {
    Response response;
    response.status = 404;
    response.content_type = "text/html; charset=utf-8";
    response.body = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>No such host</title>"
                    "<link rel=\"stylesheet\" href=\"/style.css\"></head><body><main class=\"not-found\">"
                    "<h1>No such host</h1><p>Nobody here is called \u201c" +
                    html_escape(slug.substr(0, 100)) +
                    "\u201d.</p><p><a href=\"/\">See everyone you can book with</a></p></main></body></html>\n";
    response.set_header("Content-Security-Policy", "default-src 'self'; base-uri 'none'; frame-ancestors 'none'");
    response.set_header("X-Content-Type-Options", "nosniff");
    return response;
}

asio::awaitable<Response> host_page(Request& request, const StaticFiles& files,
                                    calendly::OrganizationDirectory& directory) {
    const std::string slug(request.path_param("slug").value_or(""));
    auto known = co_await directory.current();
    if (!known) co_return error_response(known.error());
    if ((*known)->host_by_slug(slug) == nullptr) co_return not_found_page(slug);
    Request page = request;
    page.path = "/index.html";
    co_return files.serve(page);
}

}  // namespace

void add_host_page_routes(Router& router, const StaticFiles& files, calendly::OrganizationDirectory& directory) {
    router.get("/hosts/{slug}", [&files, &directory](Request& request) { return host_page(request, files, directory); });
}

}  // namespace calrt::server
