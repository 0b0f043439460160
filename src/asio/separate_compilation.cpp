// The one translation unit that compiles Asio, Asio's SSL support, Beast and Boost.URL. Every other
// file sees only their declarations (BOOST_*_SEPARATE_COMPILATION), which keeps builds on 2 cores fast.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <boost/url/src.hpp>
