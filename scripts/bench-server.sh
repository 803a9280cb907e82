#!/usr/bin/env bash
# Benchmark: `drillcal serve` against nginx serving the same town.ics, on loopback.
# Installs wrk and nginx if missing, builds release, runs `drillcal build` on a scratch copy of the
# example town, starts both servers on free loopback ports, runs wrk (GET, then a 304 through
# If-None-Match) against each, prints requests/s and the drillcal/nginx ratios, and stops both.
# Bounded: 4 wrk runs of DURATION seconds (default 10) plus a second of warm-up each.
#   scripts/bench-server.sh [DURATION] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-32}"
bash scripts/setup.sh wrk nginx
swift build -c release --product drillcal 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)/drillcal"

work="$(mktemp -d /tmp/drillcal-bench-server.XXXXXX)"
chmod 755 "$work"  # nginx's workers run as an unprivileged user and must read the copy
serve_pid=""
nginx_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill -TERM "$nginx_pid" 2>/dev/null || true
  sleep 0.2
  rm -rf "$work"
}
trap cleanup EXIT

cp -r calendars "$work/calendars"
rm -rf "$work/calendars/qingshan/feeds" "$work/calendars/qingshan/feeds.d"
town="$work/calendars/qingshan"
"$bin" build "$town" --now 2026-11-29T08:00:00Z >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
drill_port="$(free_port)"
nginx_port="$(free_port)"

# drillcal logs one line per request, as in production; to a file, like nginx's access log.
"$bin" serve "$town" --host 127.0.0.1 --port "$drill_port" >"$work/serve.out" 2>"$work/serve.log" &
serve_pid=$!

mkdir -p "$work/nginx/html/calendars/qingshan" "$work/nginx/logs"
cp "$town/feeds/town.ics" "$work/nginx/html/calendars/qingshan/town.ics"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log $work/nginx/logs/access.log;
  types { text/calendar ics; }
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  etag on;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/html;
    add_header Cache-Control "public, max-age=300";
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!

wait_for() {
  for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "bench: $1 did not come up" >&2; exit 1
}
drill_url="http://127.0.0.1:$drill_port/calendars/qingshan/town.ics"
nginx_url="http://127.0.0.1:$nginx_port/calendars/qingshan/town.ics"
wait_for "$drill_url"
wait_for "$nginx_url"
cmp -s <(curl -s "$drill_url") <(curl -s "$nginx_url") || { echo "bench: the two servers answer different bytes" >&2; exit 1; }

etag_of() { curl -sI "$1" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}'; }
drill_etag="$(etag_of "$drill_url")"
nginx_etag="$(etag_of "$nginx_url")"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $drill_etag" "$drill_url")" = 304 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $nginx_etag" "$nginx_url")" = 304 ]

rate() {  # url [header]: requests/s from wrk
  local args=(-t2 "-c$connections" "-d${duration}s" --latency)
  [ $# -gt 1 ] && args+=(-H "$2")
  wrk -t2 -c"$connections" -d1s ${2:+-H "$2"} "$1" >/dev/null  # warm-up
  wrk "${args[@]}" "$1" | awk '/Requests\/sec/{print $2}'
}
size=$(wc -c <"$town/feeds/town.ics")
echo "town.ics: $size bytes; wrk -t2 -c$connections -d${duration}s on $(nproc) cores"
d_get=$(rate "$drill_url")
n_get=$(rate "$nginx_url")
d_304=$(rate "$drill_url" "If-None-Match: $drill_etag")
n_304=$(rate "$nginx_url" "If-None-Match: $nginx_etag")
awk -v dg="$d_get" -v ng="$n_get" -v d3="$d_304" -v n3="$n_304" 'BEGIN {
  printf "%-22s %12s %12s %8s\n", "", "drillcal", "nginx", "ratio"
  printf "%-22s %12.0f %12.0f %7.0f%%\n", "GET town.ics (req/s)", dg, ng, 100 * dg / ng
  printf "%-22s %12.0f %12.0f %7.0f%%\n", "304 (req/s)", d3, n3, 100 * d3 / n3
}'
