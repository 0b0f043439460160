#include "support/nginx_proxy.hpp"

#include <boost/asio/io_context.hpp>
#include <csignal>
#include <boost/asio/ip/tcp.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/http_test_client.hpp"
#include "support/free_port.hpp"
#include "support/running_server.hpp"

namespace calrt::test {
namespace {

void replace_once(std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("the nginx sample no longer has " + from);
    text.replace(at, from.size(), to);
}

}  // namespace

NginxProxy::NginxProxy(const std::vector<std::uint16_t>& replica_ports) {
    if (!std::filesystem::exists("/usr/sbin/nginx")) {
        throw std::runtime_error("nginx is not installed: run scripts/install-deps.sh (nginx-light)");
    }
    std::ifstream in(std::string(CALRT_SOURCE_DIR) + "/deploy/nginx/calendly-realtime.conf");
    std::stringstream sample;
    sample << in.rdbuf();
    std::string site = sample.str();
    // The sample's two upstream servers become the replicas (more replicas: more server lines).
    std::string servers;
    for (const auto port : replica_ports) {
        servers += "server 127.0.0.1:" + std::to_string(port) + " max_fails=1 fail_timeout=5s;\n    ";
    }
    replace_once(site, "server 127.0.0.1:3001 max_fails=1 fail_timeout=5s;\n    ", servers);
    replace_once(site, "server 127.0.0.1:3002 max_fails=1 fail_timeout=5s;\n", "\n");
    port_ = free_port();
    replace_once(site, "listen 8080;", "listen 127.0.0.1:" + std::to_string(port_) + ";");
    std::ofstream(dir_.path() / "site.conf") << site;

    // One process (no workers to run as another user), everything under the temp dir.
    const auto tmp = dir_.path().string();
    std::ofstream(dir_.path() / "nginx.conf")
        << "daemon off;\nmaster_process off;\npid " << tmp << "/nginx.pid;\n"
        // A file, not stderr: nobody reads the child's stderr while a test runs, and a replica
        // killed mid-stream makes nginx log an error per broken request.
        << "error_log " << tmp << "/error.log warn;\nevents { worker_connections 1024; }\nhttp {\n"
        << "  access_log off;\n  client_body_temp_path " << tmp << "/body;\n"
        << "  proxy_temp_path " << tmp << "/proxy;\n  fastcgi_temp_path " << tmp << "/fastcgi;\n"
        << "  uwsgi_temp_path " << tmp << "/uwsgi;\n  scgi_temp_path " << tmp << "/scgi;\n"
        << "  include " << tmp << "/site.conf;\n}\n";
    nginx_ = std::make_unique<ChildProcess>(
        "/usr/sbin/nginx", std::vector<std::string>{"-p", tmp, "-c", tmp + "/nginx.conf"},
        std::map<std::string, std::string>{}, tmp);
    const bool up = wait_until([&] {
        try {
            http_request(port_, "GET", "/healthz");
            return true;
        } catch (const std::exception&) {
            return false;
        }
    }, std::chrono::seconds(10));
    if (!up) {
        std::ifstream log(dir_.path() / "error.log");
        std::stringstream text;
        text << log.rdbuf();
        throw std::runtime_error("nginx did not start: " + nginx_->drain_stderr() + text.str());
    }
}

NginxProxy::~NginxProxy() {
    if (nginx_) {
        nginx_->signal(SIGQUIT);
        nginx_->wait_exit(std::chrono::seconds(5));
    }
}

}  // namespace calrt::test
