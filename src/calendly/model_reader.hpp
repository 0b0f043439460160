#pragma once
// Reads the fields of one Calendly JSON object into model members, tolerantly: unknown fields are
// ignored, optional fields that are missing, null or of an unexpected type read as absent, and the
// first required field that is missing or unusable is remembered with its path
// ("collection[3].scheduling_url") instead of stopping the caller at every line.
// Private to the calendly module.

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::calendly::detail {

class ModelReader {
public:
    // `path` names `object` in error messages; `first_error` is shared with child readers.
    ModelReader(const nlohmann::json& object, std::string path, std::optional<Error>& first_error);

    std::string required_string(std::string_view key);
    std::optional<std::string> optional_string(std::string_view key);
    bool required_bool(std::string_view key);
    std::optional<bool> optional_bool(std::string_view key);
    std::int64_t required_int(std::string_view key);
    std::optional<std::int64_t> optional_int(std::string_view key);
    Timestamp required_time(std::string_view key);
    std::optional<Timestamp> optional_time(std::string_view key);
    // Strings of an array; missing or null is empty, non-string elements are skipped.
    std::vector<std::string> string_list(std::string_view key);

    // A nested object that must be there; reading from it reports paths like "resource.profile.x".
    ModelReader required_object(std::string_view key);
    // A nested object that may be missing or null; nullptr then.
    const nlohmann::json* optional_object(std::string_view key) const;
    // Calls read(ModelReader&) for each object element of an optional array (missing or null is
    // empty). A non-object element is an error: a list of resources with holes is not usable.
    template <class Read>
    void each_object(std::string_view key, Read&& read) {
        const nlohmann::json* array = find(key);
        if (array == nullptr || array->is_null()) return;
        if (!array->is_array()) {
            fail(key, "is not an array");
            return;
        }
        for (std::size_t i = 0; i < array->size(); ++i) {
            const std::string element_path = path_of(key) + "[" + std::to_string(i) + "]";
            const nlohmann::json& element = (*array)[i];
            if (!element.is_object()) {
                fail_at(element_path, "is not an object");
                return;
            }
            ModelReader element_reader(element, element_path, first_error_);
            read(element_reader);
        }
    }

    const nlohmann::json& json() const { return *object_; }
    bool ok() const { return !first_error_.has_value(); }

private:
    const nlohmann::json* find(std::string_view key) const;
    std::string path_of(std::string_view key) const;
    void fail(std::string_view key, std::string_view problem);
    void fail_at(const std::string& path, std::string_view problem);

    const nlohmann::json* object_;
    std::string path_;
    std::optional<Error>& first_error_;
};

// The error for a Calendly answer the service cannot use: upstream_failed /
// "bad_calendly_response".
Error bad_calendly_response(std::string what);

// Runs read(ModelReader&) over `json` (which must be an object) and returns the model or the
// first problem found.
template <class Model, class Read>
Result<Model> read_model(const nlohmann::json& json, std::string path, Read&& read) {
    if (!json.is_object()) return bad_calendly_response(path + " is not a JSON object");
    std::optional<Error> first_error;
    ModelReader reader(json, std::move(path), first_error);
    Model model = read(reader);
    if (first_error) return std::move(*first_error);
    return model;
}

}  // namespace calrt::calendly::detail
