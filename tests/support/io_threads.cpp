#include "support/io_threads.hpp"

namespace calrt::test {

IoThreads::IoThreads(unsigned count) : work_(boost::asio::make_work_guard(io)) {
    for (unsigned i = 0; i < count; ++i) threads_.emplace_back([this] { io.run(); });
}

IoThreads::~IoThreads() { stop(); }

void IoThreads::stop() {
    work_.reset();
    io.stop();
    threads_.clear();  // joins
}

}  // namespace calrt::test
