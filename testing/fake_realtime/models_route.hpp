#pragma once
// OpenAI's "Retrieve model" endpoint on the fake Realtime server: GET /v1/models/{model} with
// "Authorization: Bearer <key>" answers the Model object {"id", "object": "model", "created",
// "owned_by", "shutdown_date"} (openai-python src/openai/types/model.py; developers.openai.com
// /api/docs/deprecations: shutdown_date is a "YYYY-MM-DD" string, or null when none is announced).
// Unknown models answer 404 model_not_found, a wrong key 401 invalid_api_key, a missing one 401
// with no code, each in OpenAI's error body {"error": {"message", "type", "param", "code"}}.
//
// Seeded with the Realtime models; tests add, change or remove models (thread-safe).

#include "calrt/server/router.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace calrt::testing {

struct FakeModel {
    std::string id{};
    std::int64_t created = 1'756'339'200;  // unix seconds
    std::string owned_by = "system";
    std::optional<std::string> shutdown_date{};  // "YYYY-MM-DD"; none: null
    bool omit_shutdown_date = false;           // leave the field out (the spec does not require it)
};

class FakeModels {
  public:
    FakeModels();

    void set(FakeModel model);  // adds or replaces
    void remove(const std::string& id);
    std::optional<FakeModel> find(const std::string& id) const;

  private:
    mutable std::mutex mutex_;
    std::map<std::string, FakeModel> models_;
};

// Adds GET /v1/models/{model} to `router`, checking the Bearer `api_key` (empty: none required).
void add_models_route(server::Router& router, std::shared_ptr<FakeModels> models, std::string api_key);

}  // namespace calrt::testing
