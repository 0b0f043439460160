#include "calrt/server/ops_routes.hpp"

#include "calrt/server/metrics_access.hpp"
#include "calrt/server/responses.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {

void add_ops_routes(Router& router, const Readiness& readiness, const MetricsRegistry& metrics,
                    MetricsAccess metrics_access) {
    router.get("/healthz", sync_handler([](Request&) { return json_text_response(200, R"({"status":"ok"})"); }));

    router.get("/readyz", sync_handler([&readiness](Request&) {
                   nlohmann::json checks = nlohmann::json::object();
                   std::string reasons;
                   for (const auto& [name, check] : readiness.checks()) {
                       checks[name] = {{"ready", check.ready}, {"detail", check.detail}};
                       if (!check.ready) {
                           if (!reasons.empty()) reasons += "; ";
                           reasons += name + ": " + check.detail;
                       }
                   }
                   if (!readiness.all_ready()) {
                       if (reasons.empty()) reasons = "starting up";
                       // Built as a document (not by re-parsing an error body): a detail with
                       // invalid UTF-8 must not turn into a 500 (review item L7).
                       nlohmann::json body{{"error", {{"code", "not_ready"}, {"message", reasons}}},
                                           {"checks", std::move(checks)}};
                       return json_response(503, body);
                   }
                   return json_response(200, {{"status", "ready"}, {"checks", std::move(checks)}});
               }));

    router.get("/metrics", sync_handler([&metrics, access = std::move(metrics_access)](Request& request) {
                   if (auto allowed = check_metrics_access(request, access); !allowed) {
                       Response refused = error_response(allowed.error());
                       // RFC 6750 section 3: a 401 names the scheme the client should use.
                       if (refused.status == 401) refused.set_header("WWW-Authenticate", "Bearer");
                       return refused;
                   }
                   Response response;
                   response.content_type = "text/plain; version=0.0.4; charset=utf-8";
                   response.body = metrics.render();
                   return response;
               }));
}

}  // namespace calrt::server
