#!/usr/bin/env bash
# Load benchmarks with wrk on loopback (issue 4): cached GET ?action=event-types and signed webhook
# deliveries with durable commits, 64 connections each, on SQLite and then on a throwaway PostgreSQL
# 15 with fsync on (issue 10). Prints one result line per run:
#   BENCH name rps=N p50_ms=X p99_ms=Y requests=N non2xx=N errors=N
# and, for cached reads against nginx, each server's cost of a request:
#   BENCH cached_event_types_cost server=service|nginx cpu_us_per_request=X context_switches_per_request=Y
# and, for webhook intake, the group commits behind it (commits=N commits_over_5ms=N ...).
# Then the micro benchmarks (Google Benchmark). Usage: scripts/run-benchmarks.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
build=build
bin=$build/calendly-realtime
[[ -x $bin && -x $build/bench/make_signed_deliveries && -x $build/bench/relay_bench &&
   -x $build/bench/organization_bench &&
   -x $build/tests/test_postgres_cluster ]] ||
  { echo "build first: make build" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh --bench" >&2; exit 1; }

work=$(mktemp -d)
# Where test_postgres_cluster notes the cluster it starts (the cluster's files go under /tmp).
pg_dir=$work/postgres
pg_server_pid=""
trap 'kill $server_pid $pg_server_pid 2>/dev/null || true; wait 2>/dev/null || true
      "$build/tests/test_postgres_cluster" stop "$pg_dir" || true; rm -rf "$work"' EXIT
secret=bench-webhook-secret
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 38471)

# Sandbox Calendly, access logs off (one line per request would measure the terminal, not the service).
# wrk is one client address standing in for many users: the per-address limits are lifted, so what
# is measured is serving, not refusing.
env -i PATH="$PATH" PORT=$port DATA_DIR="$work/data" LOG_LEVEL=warn CALENDLY_WEBHOOK_SECRET=$secret \
  SERVER_THREADS=2 WEB_ROOT=web MAX_CONNECTIONS_PER_ADDRESS=1024 \
  PUBLIC_READ_RATE_LIMIT_PER_MINUTE=1000000000 PUBLIC_READ_RATE_LIMIT_BURST=1000000000 \
  "$bin" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/api/calendly?action=event-types" >/dev/null  # warm the cache

# CPU time (user + system, clock ticks) and context switches (voluntary + involuntary) so far, summed
# over every thread of each pid given: "ticks switches". From /proc rather than `perf stat`, so that
# it needs no perf_event permissions (a container's default perf_event_paranoid refuses perf on
# another process) and costs the measured server nothing. A process's stat counts the CPU of its
# threads that have ended too; switches are per thread (task/*/status), and the servers' threads
# live as long as they do.
process_cost() {
  local pid ticks=0 switches=0 task_switches
  for pid in "$@"; do
    # Fields after the command name (which may hold spaces): utime and stime are the 14th and 15th.
    ticks=$((ticks + $(sed -E 's/.*\) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
    task_switches=$(cat /proc/"$pid"/task/*/status 2>/dev/null |
      awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ {n += $2} END {print n + 0}')
    switches=$((switches + task_switches))
  done
  echo "$ticks $switches"
}
clock_ticks=$(getconf CLK_TCK)

report() {  # name, wrk output file
  local rps line p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  line=$(grep LUA_RESULT "$2")
  p50=$(sed -E 's/.*p50_us=([0-9]+).*/\1/' <<<"$line")
  p99=$(sed -E 's/.*p99_us=([0-9]+).*/\1/' <<<"$line")
  printf 'BENCH %s rps=%s p50_ms=%.2f p99_ms=%.2f %s\n' "$1" "$rps" "$(bc -l <<<"$p50/1000")" "$(bc -l <<<"$p99/1000")" \
    "$(sed -E 's/.*(requests=[0-9]+ non2xx=[0-9]+ errors=[0-9]+).*/\1/' <<<"$line")"
}

# The service's group commits so far, from its /metrics (loopback may read them): how many, how
# many took over 5 and over 10 ms from BEGIN to a durable COMMIT, and the mean group size. A commit
# that stalls holds every delivery waiting behind it, so these say what the p99 is made of.
commit_stats() {  # service port
  curl -fs "http://127.0.0.1:$1/metrics" | awk '
    /^webhook_store_commit_duration_seconds_bucket\{le="0.005"\}/ {le5 = $2}
    /^webhook_store_commit_duration_seconds_bucket\{le="0.01"\}/ {le10 = $2}
    /^webhook_store_commit_duration_seconds_count/ {n = $2}
    /^webhook_store_group_commit_size_sum/ {rows = $2}
    END {printf "commits=%d commits_over_5ms=%d commits_over_10ms=%d mean_group=%.1f", n, n - le5, n - le10, n ? rows / n : 0}'
}

wrk -t2 -c64 -d"${duration}s" --latency -s bench/load/reads.lua \
  "http://127.0.0.1:$port/api/calendly?action=event-types" >"$work/reads.txt"
report cached_event_types "$work/reads.txt"

# The same bytes from nginx (Debian's, as many workers as the service has threads, sendfile, no
# access log), measured in turns with the service: both stay up, and 5 rounds of 5 s alternate
# between them, so that the machine's swings hit both alike. The ratio is the service's requests/s
# over nginx's in the same round; the median of the rounds is the result.
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [[ -x $nginx_bin ]]; then
  mkdir -p "$work/nginx/static"
  curl -fs "http://127.0.0.1:$port/api/calendly?action=event-types" >"$work/nginx/static/event-types.json"
  nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$work/nginx/nginx.conf" <<CONF
user root;
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/static;
    location = /api/calendly { default_type application/json; try_files /event-types.json =404; }
  }
}
CONF
  "$nginx_bin" -c "$work/nginx/nginx.conf" 2>"$work/nginx/stderr.log" &
  nginx_pid=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$nginx_port/api/calendly?action=event-types" >/dev/null 2>&1 && break; sleep 0.1; done
  cmp -s <(curl -fs "http://127.0.0.1:$nginx_port/api/calendly?action=event-types") \
         <(curl -fs "http://127.0.0.1:$port/api/calendly?action=event-types") ||
    { echo "nginx does not serve the service's bytes" >&2; exit 1; }
  # nginx's master and its workers (the workers serve; the master is counted for completeness).
  for _ in $(seq 50); do nginx_workers=$(pgrep -P "$nginx_pid" | tr '\n' ' '); [[ -n $nginx_workers ]] && break; sleep 0.1; done
  ratios=()
  service_rates=()
  nginx_rates=()
  # Per round and server: CPU microseconds and context switches per request, measured on the
  # server's own processes over its wrk run (what req/s hides: the cost of a request, whatever
  # the machine's speed and the load generator's share of it).
  cpu_ratios=()
  service_cpu=() service_switches=() nginx_cpu=() nginx_switches=()
  for round in 1 2 3 4 5; do
    for who in service nginx; do
      if [[ $who == service ]]; then target_port=$port pids=$server_pid; else target_port=$nginx_port pids="$nginx_pid $nginx_workers"; fi
      # shellcheck disable=SC2086  # pids is a list
      read -r ticks_before switches_before < <(process_cost $pids)
      wrk -t2 -c64 -d5s --latency -s bench/load/reads.lua \
        "http://127.0.0.1:$target_port/api/calendly?action=event-types" >"$work/round-$who.txt"
      # shellcheck disable=SC2086
      read -r ticks_after switches_after < <(process_cost $pids)
      rate=$(awk '/Requests\/sec/ {print $2}' "$work/round-$who.txt")
      requests=$(sed -nE 's/.*LUA_RESULT requests=([0-9]+).*/\1/p' "$work/round-$who.txt")
      cpu_us=$(bc -l <<<"($ticks_after - $ticks_before) * 1000000 / $clock_ticks / $requests")
      switches=$(bc -l <<<"($switches_after - $switches_before) / $requests")
      if [[ $who == service ]]; then
        service_rates+=("$rate") service_cpu+=("$cpu_us") service_switches+=("$switches")
      else
        nginx_rates+=("$rate") nginx_cpu+=("$cpu_us") nginx_switches+=("$switches")
      fi
    done
    ratios+=("$(bc -l <<<"${service_rates[-1]} / ${nginx_rates[-1]}")")
    cpu_ratios+=("$(bc -l <<<"${service_cpu[-1]} / ${nginx_cpu[-1]}")")
  done
  median() { printf '%s\n' "$@" | sort -g | sed -n 3p; }
  # shellcheck disable=SC2059  # the format is the caller's
  list() { printf "$1," "${@:2}" | sed 's/,$//'; }
  printf 'BENCH cached_event_types_vs_nginx rounds=5 service_rps_median=%.0f nginx_rps_median=%.0f ratio_median=%.3f ratios=%s cpu_per_request_ratio_median=%.3f\n' \
    "$(median "${service_rates[@]}")" "$(median "${nginx_rates[@]}")" "$(median "${ratios[@]}")" \
    "$(list %.3f "${ratios[@]}")" "$(median "${cpu_ratios[@]}")"
  printf 'BENCH cached_event_types_cost server=service cpu_us_per_request=%.2f context_switches_per_request=%.3f cpu_us_rounds=%s switches_rounds=%s\n' \
    "$(median "${service_cpu[@]}")" "$(median "${service_switches[@]}")" \
    "$(list %.2f "${service_cpu[@]}")" "$(list %.3f "${service_switches[@]}")"
  printf 'BENCH cached_event_types_cost server=nginx cpu_us_per_request=%.2f context_switches_per_request=%.3f cpu_us_rounds=%s switches_rounds=%s\n' \
    "$(median "${nginx_cpu[@]}")" "$(median "${nginx_switches[@]}")" \
    "$(list %.2f "${nginx_cpu[@]}")" "$(list %.3f "${nginx_switches[@]}")"
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
else
  echo "nginx is missing (scripts/install-deps.sh --bench): no comparison" >&2
fi

"$build/bench/make_signed_deliveries" "$secret" 600000 >"$work/deliveries.tsv"
# The file is about 330 MB: flush it now, or the kernel writes it back during the run below and
# every durable commit's fsync waits behind it (a p99 of 180-350 ms instead of about 8).
sync
wrk -t2 -c64 -d"${duration}s" --latency -s bench/load/webhooks.lua \
  "http://127.0.0.1:$port" -- "$work/deliveries.tsv" 2 >"$work/webhooks.txt"
echo "$(report signed_webhook_deliveries "$work/webhooks.txt") $(commit_stats "$port")"
stored=$(sqlite3 "$work/data/webhooks.sqlite3" 'select count(*) from webhook_deliveries' 2>/dev/null || echo "?")
echo "BENCH webhook_rows_committed count=$stored"

# The same deliveries to a service on PostgreSQL: a cluster of its own with fsync on, so that each
# acknowledged group is on disk as on SQLite (the tests' clusters run without fsync). Twice, each
# on a fresh cluster: as PostgreSQL comes, then with wal_init_zero off. A fresh database's WAL
# grows a 16 MB segment at a time, and PostgreSQL fills each new segment with zeros and fsyncs it
# inside the commit that first needs it: those commits take 10-25 ms, and each holds all 64
# connections. A database that has run a while recycles old segments instead, as one with
# wal_init_zero off skips the filling; the second line shows the service without that stall.
psql_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/psql
for wal_init_zero in on off; do
  pg_port=$("$build/tests/test_postgres_cluster" start "$pg_dir" --durable)
  pg_url="postgres://calrt@127.0.0.1:$pg_port/postgres"
  if [[ $wal_init_zero == off ]]; then
    "$psql_bin" -X -q -d "$pg_url" -c "ALTER SYSTEM SET wal_init_zero = off" -c "SELECT pg_reload_conf()" >/dev/null
    name=signed_webhook_deliveries_postgres_wal_init_zero_off
  else
    name=signed_webhook_deliveries_postgres
  fi
  service_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 38472)
  rm -rf "$work/data-pg"
  env -i PATH="$PATH" PORT=$service_port DATA_DIR="$work/data-pg" LOG_LEVEL=warn CALENDLY_WEBHOOK_SECRET=$secret \
    SERVER_THREADS=2 WEB_ROOT=web MAX_CONNECTIONS_PER_ADDRESS=1024 DATABASE_URL="$pg_url" \
    "$bin" >"$work/server-pg.log" 2>&1 &
  pg_server_pid=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$service_port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  wrk -t2 -c64 -d"${duration}s" --latency -s bench/load/webhooks.lua \
    "http://127.0.0.1:$service_port" -- "$work/deliveries.tsv" 2 >"$work/webhooks-pg.txt"
  echo "$(report "$name" "$work/webhooks-pg.txt") $(commit_stats "$service_port")"
  stored=$("$psql_bin" -X -A -t -d "$pg_url" -c 'select count(*) from webhook_deliveries' 2>/dev/null || echo "?")
  echo "BENCH webhook_rows_committed_postgres wal_init_zero=$wal_init_zero count=$stored"
  kill $pg_server_pid 2>/dev/null || true
  wait $pg_server_pid 2>/dev/null || true
  pg_server_pid=""
  "$build/tests/test_postgres_cluster" stop "$pg_dir" || true
done

# The voice path (issue 12): relay forwarding at 1, 50 and 200 sessions streaming audio both ways,
# 1,000 idle sessions, session start and tool round trips; the relay_bench header says what each
# line means.
"$build/bench/relay_bench" "$bin" --seconds "$duration"

# Organization mode at scale: 500 members with 10 event types each on the fake and a round robin
# with 20 hosts: time to ready, the directory's memory, its Calendly calls, "who is free for a sales
# demo this week?" and cached directory reads; the organization_bench header says what each line means.
"$build/bench/organization_bench" "$bin" --seconds "$duration"

if [[ -x $build/bench/micro_bench ]]; then
  "$build/bench/micro_bench" --benchmark_min_time=0.2
fi
