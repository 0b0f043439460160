#include "testing/fake_realtime/models_route.hpp"

#include "calrt/core/secret.hpp"
#include "calrt/server/responses.hpp"

#include <nlohmann/json.hpp>

namespace calrt::testing {
namespace {

using nlohmann::json;

// OpenAI's error object (openai-python: APIError body {"error": {...}}), e.g. the well-known
// "The model `x` does not exist or you do not have access to it." (code model_not_found).
server::Response openai_error(unsigned status, std::string message, json code) {
    return server::json_response(status, {{"error",
                                           {{"message", std::move(message)},
                                            {"type", "invalid_request_error"},
                                            {"param", nullptr},
                                            {"code", std::move(code)}}}});
}

json model_object(const FakeModel& model) {
    json object = {{"id", model.id}, {"object", "model"}, {"created", model.created}, {"owned_by", model.owned_by}};
    if (!model.omit_shutdown_date) {
        object["shutdown_date"] = model.shutdown_date ? json(*model.shutdown_date) : json(nullptr);
    }
    return object;
}

server::Response retrieve_model(const FakeModels& models, const std::string& api_key, const server::Request& request) {
    if (!api_key.empty()) {
        const std::string_view authorization = request.header("Authorization");
        if (authorization.empty()) {
            return openai_error(401,
                                "You didn't provide an API key. You need to provide your API key in an Authorization "
                                "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                                nullptr);
        }
        if (!constant_time_equal(authorization, "Bearer " + api_key)) {
            // OpenAI quotes a masked piece of the key it got; the fake says only that it is wrong.
            return openai_error(401, "Incorrect API key provided. You can find your API key at "
                                     "https://platform.openai.com/account/api-keys.",
                                "invalid_api_key");
        }
    }
    const std::string id(request.path_param("model").value_or(""));
    const auto model = models.find(id);
    if (!model) {
        return openai_error(404, "The model `" + id + "` does not exist or you do not have access to it.",
                            "model_not_found");
    }
    return server::json_response(200, model_object(*model));
}

}  // namespace

FakeModels::FakeModels() {
    // The Realtime models of openai-python's RealtimeSessionCreateRequest.model enum. gpt-realtime
    // and gpt-realtime-mini: "legacy audio and realtime models" shut down 2027-01-20 according to
    // third-party copies of developers.openai.com/api/docs/deprecations (not confirmed there).
    for (const char* id : {"gpt-realtime-2.1", "gpt-realtime-2.1-mini", "gpt-realtime-2", "gpt-realtime-1.5"}) {
        models_[id] = FakeModel{.id = id};
    }
    for (const char* id : {"gpt-realtime", "gpt-realtime-mini"}) {
        models_[id] = FakeModel{.id = id, .shutdown_date = "2027-01-20"};
    }
}

void FakeModels::set(FakeModel model) {
    std::lock_guard lock(mutex_);
    models_[model.id] = std::move(model);
}

void FakeModels::remove(const std::string& id) {
    std::lock_guard lock(mutex_);
    models_.erase(id);
}

std::optional<FakeModel> FakeModels::find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto found = models_.find(id);
    if (found == models_.end()) return std::nullopt;
    return found->second;
}

void add_models_route(server::Router& router, std::shared_ptr<FakeModels> models, std::string api_key) {
    router.get("/v1/models/{model}",
               server::sync_handler([models = std::move(models), api_key = std::move(api_key)](server::Request& request) {
                   return retrieve_model(*models, api_key, request);
               }));
}

}  // namespace calrt::testing
