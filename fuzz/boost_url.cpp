// Boost.URL is a compiled library: its sources, once, for the project files that parse URLs
// (resource_uri.cpp; the HTTP request target). The service does the same in
// src/asio/separate_compilation.cpp.
#include <boost/url/src.hpp>
