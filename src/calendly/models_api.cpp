// Response envelopes (pagination), errors, and webhook subscriptions.

#include "calrt/calendly/models.hpp"
#include "calrt/calendly/page.hpp"

#include "model_reader.hpp"

namespace calrt::calendly {

using detail::ModelReader;
using detail::read_model;

namespace detail {

Error missing_body_part(const char* what) {
    return bad_calendly_response(std::string("the body has no \"") + what + "\"");
}

Result<const nlohmann::json*> collection_of(const nlohmann::json& body) {
    if (!body.is_object()) return bad_calendly_response("the body is not a JSON object");
    const auto it = body.find("collection");
    if (it == body.end()) return missing_body_part("collection");
    if (!it->is_array()) return bad_calendly_response("collection is not an array");
    return &*it;
}

}  // namespace detail

namespace {

// Calendly ends a list with null tokens; treat an empty string the same so a loop cannot spin.
std::optional<std::string> non_empty(std::optional<std::string> text) {
    if (text && text->empty()) return std::nullopt;
    return text;
}

}  // namespace

Result<Pagination> Pagination::parse(const nlohmann::json& object, std::string path) {
    return read_model<Pagination>(object, std::move(path), [](ModelReader& in) {
        Pagination pagination;
        pagination.count = in.required_int("count");
        pagination.next_page = non_empty(in.optional_string("next_page"));
        pagination.previous_page = non_empty(in.optional_string("previous_page"));
        pagination.next_page_token = non_empty(in.optional_string("next_page_token"));
        pagination.previous_page_token = non_empty(in.optional_string("previous_page_token"));
        return pagination;
    });
}

Result<WebhookSubscription> WebhookSubscription::parse(const nlohmann::json& object,
                                                       std::string path) {
    return read_model<WebhookSubscription>(object, std::move(path), [](ModelReader& in) {
        WebhookSubscription subscription;
        subscription.uri = in.required_string("uri");
        subscription.callback_url = in.required_string("callback_url");
        subscription.state = in.required_string("state");
        subscription.events = in.string_list("events");
        subscription.scope = in.required_string("scope");
        subscription.organization = in.required_string("organization");
        subscription.user = in.optional_string("user");
        subscription.group = in.optional_string("group");
        subscription.creator = in.optional_string("creator");
        subscription.retry_started_at = in.optional_time("retry_started_at");
        subscription.created_at = in.required_time("created_at");
        subscription.updated_at = in.required_time("updated_at");
        subscription.raw = in.json();
        return subscription;
    });
}

Result<ErrorResponse> ErrorResponse::parse(const nlohmann::json& object, std::string path) {
    return read_model<ErrorResponse>(object, std::move(path), [](ModelReader& in) {
        ErrorResponse response;
        response.title = in.required_string("title");
        response.message = in.required_string("message");
        in.each_object("details", [&](ModelReader& detail_in) {
            response.details.push_back({detail_in.optional_string("parameter").value_or(""),
                                        detail_in.optional_string("message").value_or("")});
        });
        response.raw = in.json();
        return response;
    });
}

}  // namespace calrt::calendly
