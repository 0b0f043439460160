#pragma once
// One stored delivery as GET /api/calendly/webhook/events lists it. Whatever a row holds (a row
// written by an older build, or by hand), rendering it never fails: a body that cannot be shown
// as JSON is listed with "envelope": null and an "envelope_error" saying why.

#include "calrt/store/delivery_feed.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {

nlohmann::json listed_delivery(const store::StoredDelivery& stored);

}  // namespace calrt::server
