#include "support/running_fake_calendly.hpp"

#include <boost/url/url.hpp>

#include "calrt/core/logging.hpp"

namespace calrt::test {

RunningFakeCalendly::RunningFakeCalendly(testing::FakeCalendlyOptions options, unsigned threads)
    : threads_(threads), fake_(std::make_unique<testing::FakeCalendly>(io, std::move(options))) {
    log::configure("warn", "text");
    fake_->start();
}

RunningFakeCalendly::~RunningFakeCalendly() {
    threads_.stop();
    fake_.reset();  // after the io_context stopped, as FakeCalendly requires
}

std::string RunningFakeCalendly::target_of(std::string_view url) const {
    const std::string base = fake_->base_url();
    if (url.substr(0, base.size()) == base) url.remove_prefix(base.size());
    return std::string(url);
}

HttpResponse RunningFakeCalendly::call(std::string_view method, std::string_view target,
                                       std::string_view json_body,
                                       std::optional<std::string> token) {
    std::vector<std::pair<std::string, std::string>> headers;
    const std::string bearer = token.value_or(fake_->access_token());
    if (!bearer.empty()) headers.emplace_back("Authorization", "Bearer " + bearer);
    if (!json_body.empty()) headers.emplace_back("Content-Type", "application/json");
    return http_request(fake_->port(), method, target_of(target), std::move(headers), json_body);
}

std::string with_query(std::string_view path,
                       const std::vector<std::pair<std::string, std::string>>& params) {
    boost::urls::url url;
    url.set_path(path);
    for (const auto& [key, value] : params) url.params().append({key, value});
    return std::string(url.buffer());
}

}  // namespace calrt::test
