#include "calrt/server/ops_routes.hpp"

#include "calrt/server/responses.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {

void add_ops_routes(Router& router, const Readiness& readiness, const MetricsRegistry& metrics) {
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
                       auto response = error_response(Error::make(ErrorKind::unavailable, "not_ready", reasons));
                       auto body = nlohmann::json::parse(response.body);
                       body["checks"] = std::move(checks);
                       response.body = body.dump();
                       return response;
                   }
                   return json_response(200, {{"status", "ready"}, {"checks", std::move(checks)}});
               }));

    router.get("/metrics", sync_handler([&metrics](Request&) {
                   Response response;
                   response.content_type = "text/plain; version=0.0.4; charset=utf-8";
                   response.body = metrics.render();
                   return response;
               }));
}

}  // namespace calrt::server
