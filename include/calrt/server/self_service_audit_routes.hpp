#pragma once
// GET /api/calendly/self-service/changes (admin): the self-service audit log, newest first: every
// cancellation or move an invitee made through the assistant, who proved the email and when.

#include "calrt/core/secret.hpp"
#include "calrt/server/router.hpp"
#include "calrt/store/webhook_store.hpp"

namespace calrt::server {

struct SelfServiceAuditRouteContext {
    store::WebhookStore& store;
    Secret admin_token;  // API_ADMIN_TOKEN; empty: the route answers 503
};

void add_self_service_audit_routes(Router& router, SelfServiceAuditRouteContext& context);

}  // namespace calrt::server
