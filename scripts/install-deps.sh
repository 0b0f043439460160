#!/usr/bin/env bash
# Installs the Debian bookworm packages the build, the tests and the benchmarks need, clang with
# libFuzzer for the fuzz targets (scripts/run-fuzz.sh), and the npm packages of the browser test
# (tests/browser).
# Idempotent and quiet when everything is already there; `apt-get update` runs only when
# something is missing.
#   --bench       also what scripts/run-benchmarks.sh needs
#   --no-browser  not Chromium, Node.js and the browser test's npm packages (an image build)
#   --no-fuzz     not clang and libFuzzer (building or running the service only)
#   --no-test-servers  not the PostgreSQL server and nginx that the tests start for themselves
#                 (the libpq client library is always installed: the service links it)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libboost1.81-dev libssl-dev ca-certificates
  nlohmann-json3-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev libpq-dev libyaml-cpp-dev libcurl4-openssl-dev
  libhowardhinnant-date-dev libdate-tz3 tzdata libgoogle-perftools-dev
  curl
)
browser=1
fuzz=1
test_servers=1
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(wrk bc sqlite3 postgresql-15 nginx-light) ;;
    --no-browser) browser=0 ;;
    --no-fuzz) fuzz=0 ;;
    --no-test-servers) test_servers=0 ;;
    *) echo "usage: $0 [--bench] [--no-browser] [--no-fuzz] [--no-test-servers]" >&2; exit 2 ;;
  esac
done
if [[ $test_servers -eq 1 ]]; then
  # The store suite and the two-replica test start a throwaway PostgreSQL 15 and an nginx in front
  # of the replicas (tests/support/postgres_cluster.hpp): the server programs, not a running service.
  packages+=(postgresql-15 nginx-light)
  # A real SMTP server (STARTTLS, AUTH) for the one-time code mail (testing/smtp/test_smtp_server.py).
  packages+=(python3-aiosmtpd)
  # browser.self_service makes that server's certificate with the openssl command.
  packages+=(openssl)
fi
if [[ $fuzz -eq 1 ]]; then
  # Debian's clang only recommends its runtime libraries; libFuzzer (libclang_rt.fuzzer-x86_64.a)
  # and the sanitizer runtimes clang links are in libclang-rt-14-dev.
  packages+=(clang libclang-rt-14-dev)
fi
if [[ $browser -eq 1 ]]; then
  packages+=(chromium)
  # By command, not by package: a node from elsewhere (NodeSource's nodejs bundles npm and
  # conflicts with Debian's npm package) must not be replaced.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The browser test's pinned npm packages (package-lock.json), as the invoking user. The lock file
# is absent where only this script was copied (the Dockerfile's first step).
browser_tests="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/browser"
# npm records what it installed in node_modules/.package-lock.json: install again when the lock file
# is newer (a package was added), not only when node_modules is missing.
if [[ $browser -eq 1 && -f "$browser_tests/package-lock.json" &&
      ( ! -f "$browser_tests/node_modules/.package-lock.json" ||
        "$browser_tests/package-lock.json" -nt "$browser_tests/node_modules/.package-lock.json" ) ]]; then
  echo "installing the browser test's npm packages (tests/browser)"
  # Without them only the browser test is skipped (ctest "Skipped"), so a registry outage does not
  # stop the build and every other test; say so loudly.
  npm ci --prefix "$browser_tests" --no-audit --no-fund --loglevel=error >/dev/null ||
    echo "WARNING: npm ci failed in tests/browser; the browser test will be skipped" >&2
fi
