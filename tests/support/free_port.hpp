#pragma once
// A 127.0.0.1 port that was free a moment ago, for a child process (the service, PostgreSQL,
// nginx) that is told its port rather than announcing one. Another process may take it before the
// child binds; callers that can, retry.

#include <cstdint>

namespace calrt::test {

std::uint16_t free_port();

}  // namespace calrt::test
