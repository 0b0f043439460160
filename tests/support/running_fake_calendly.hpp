#pragma once
// A FakeCalendly on its own io_context and threads for the length of a test, plus a blocking way to
// call it with (or without) its Bearer token, and to run a client's coroutine on the same threads.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calrt/calendly/calendly_client.hpp"
#include "support/http_test_client.hpp"
#include "support/io_threads.hpp"
#include "testing/fake_calendly/fake_calendly.hpp"

namespace calrt::test {

// Where the fake's five default meeting types meet (Google Meet): POST /invitees must name it, as
// Calendly expects the location an event type is configured with.
inline calendly::InviteeLocation fake_meeting_location() { return {"google_conference", std::nullopt}; }

class RunningFakeCalendly {
  public:
    explicit RunningFakeCalendly(testing::FakeCalendlyOptions options = {}, unsigned threads = 2);
    ~RunningFakeCalendly();

    testing::FakeCalendly& operator*() { return *fake_; }
    testing::FakeCalendly* operator->() { return fake_.get(); }

    // `target` is a path with query, or a full URL on the fake (a next_page link, a resource URI).
    // The fake's token is sent unless `token` says otherwise (an empty string: no header at all).
    HttpResponse call(std::string_view method, std::string_view target,
                      std::string_view json_body = {},
                      std::optional<std::string> token = std::nullopt);
    HttpResponse get(std::string_view target) { return call("GET", target); }
    // The path and query of a URL on the fake.
    std::string target_of(std::string_view url) const;
    // Stops the fake's io_context and joins its threads (IoThreads::stop). A fixture whose Calendly
    // client runs here while answering on another io_context (a RunningServer's) calls it first in
    // its destructor: a thread of the fake may still be handing a completion to that context, and
    // must be done before the context is destroyed.
    void stop() { threads_.stop(); }

    // Runs `task` (a client call, say) on the fake's threads and waits for its result.
    template <class T>
    T run(boost::asio::awaitable<T> task) {
        return threads_.run(std::move(task));
    }

  private:
    IoThreads threads_;

  public:
    boost::asio::io_context& io = threads_.io;

  private:
    std::unique_ptr<testing::FakeCalendly> fake_;
};

// "/path?k=v&..." with the values percent-encoded.
std::string with_query(std::string_view path,
                       const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace calrt::test
