#pragma once
// GET /api/openapi.json: the OpenAPI 3.1 description of every HTTP route (docs/openapi.yaml,
// converted to JSON at build time by cmake/tools/yaml_to_json.cpp), for integrators' tools and
// client generators. tests/browser/openapi.test.mjs checks every answer of the service against it.

#include "calrt/server/router.hpp"

namespace calrt::server {

void add_api_description_route(Router& router);

}  // namespace calrt::server
