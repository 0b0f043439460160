#include "calrt/server/api_description.hpp"

#include <string_view>

#include "calrt/server/responses.hpp"

namespace calrt::server {
namespace generated {
// Defined in the build tree's generated/openapi_json.cpp.
extern const std::string_view kOpenApiJson;
}  // namespace generated

void add_api_description_route(Router& router) {
    router.get("/api/openapi.json", sync_handler([](Request&) {
                   Response response = json_text_response(200, std::string(generated::kOpenApiJson));
                   // The same bytes until the next release: caches and tools may keep them a while.
                   response.set_header("Cache-Control", "public, max-age=300");
                   return response;
               }));
}

}  // namespace calrt::server
