#include "doctor_command.hpp"

#include "doctor_checks.hpp"
#include "doctor_report.hpp"

#include "calrt/core/logging.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

namespace calrt::app {
namespace asio = boost::asio;

namespace {

asio::awaitable<void> run_checks(DoctorContext& context) {
    co_await check_calendly(context);
    // Not `if (co_await ...)`: with the co_await in the condition, GCC 12 (-O2) built a frame in
    // which check_calendly received a garbage reference.
    const bool key_accepted = co_await check_openai_model(context);
    if (key_accepted) co_await check_realtime_session(context);
}

}  // namespace

int run_doctor_command(const Config& config, const std::vector<std::string>& words) {
    if (!words.empty()) {
        std::cerr << "usage: calendly-realtime doctor [--SETTING VALUE ...]\n";
        return 2;
    }
    // The report is the output; the components' info lines would only interleave with it.
    if (config.log.level == "info") log::configure("warn", config.log.format);

    // One thread: the Realtime check's observer relies on it.
    asio::io_context io(1);
    const SystemClock clock;
    net::HttpClientOptions http_options;
    http_options.extra_ca_file = config.calendly.extra_ca_file;
    net::HttpClient http(io.get_executor(), http_options);
    DoctorReport report({config.calendly.api_key.reveal(), config.calendly.webhook_secret.reveal(),
                         config.openai.api_key.reveal(), config.admin_token.reveal(), config.database_url.reveal()});
    DoctorContext context{io, config, http, clock, report, config.calendly.request_timeout, std::chrono::seconds(15), {}};

    std::cout << "calendly-realtime doctor: read-only checks with the configured credentials\n" << std::flush;
    asio::co_spawn(io, run_checks(context), [&](std::exception_ptr failure) {
        io.stop();  // idle pooled connections would keep it running
        if (failure) std::rethrow_exception(failure);
    });
    io.run();
    report.print(std::cout);
    std::cout << std::flush;
    return report.exit_code();
}

}  // namespace calrt::app
