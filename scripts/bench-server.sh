#!/usr/bin/env bash
# Benchmark: `drillcal serve` against nginx serving the same bytes, on loopback (issue 11).
# Installs wrk and nginx if missing, builds release (DRILLCAL_BIN=path uses that binary instead), runs
# `drillcal build` on a scratch copy of the example town and issues one member's private feed link.
# nginx serves the same files: town.ics, its gzip form as drillcal sends it (gzip_static, so both send
# the same compressed bytes) and the member's feed under the same /feeds/<token>.ics path.
# Four paths, each in ROUNDS (default 3) interleaved rounds (drillcal then nginx, nginx then drillcal
# the next round) of wrk -t2 -cCONNECTIONS -dDURATION: GET town.ics; If-None-Match → 304; gzip GET;
# the member feed behind its token. For every run: requests/s and CPU per request of the server
# (utime + stime from /proc of drillcal, or of nginx's master and workers, before and after). Then
# `GET /` (the subscription page with its QR codes) on drillcal alone: CPU per request after the first.
# Every answer must be 200 (or 304): a run with other statuses stops the benchmark. drillcal logs
# one line per request at the default level and nginx writes its access log, as in production.
# Prints each path's median ratio (drillcal ÷ nginx, req/s) with its range, and the CPU figures.
#   scripts/bench-server.sh [DURATION] [CONNECTIONS]        (ROUNDS=3, DRILLCAL_BIN=…)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-64}"
rounds="${ROUNDS:-3}"
bash scripts/setup.sh wrk nginx
if [ -z "${DRILLCAL_BIN:-}" ]; then swift build -c release --product drillcal 2>&1 | tail -n 1; fi
bin="${DRILLCAL_BIN:-$(swift build -c release --show-bin-path)/drillcal}"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

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
rm -rf "$work/calendars/qingshan/feeds" "$work/calendars/qingshan/feeds.d" "$work/calendars/qingshan"/drillcal.sqlite*
town="$work/calendars/qingshan"
"$bin" build "$town" --now 2026-11-29T08:00:00Z >/dev/null
token_url="$("$bin" token issue "$town" m001 --base-url http://bench.invalid 2>/dev/null | grep -m1 '^http://')"
token_path="${token_url#http://bench.invalid}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
drill_port="$(free_port)"
nginx_port="$(free_port)"

"$bin" serve "$town" --host 127.0.0.1 --port "$drill_port" >"$work/serve.out" 2>"$work/serve.log" &
serve_pid=$!

html="$work/nginx/html"
mkdir -p "$html/calendars/qingshan" "$html/feeds" "$work/nginx/logs"
cp "$town/feeds/town.ics" "$html/calendars/qingshan/town.ics"
cp "$town/feeds/member-m001.ics" "$html$token_path"
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
  gzip_static on;
  gzip_vary on;
  server {
    listen 127.0.0.1:$nginx_port;
    root $html;
    location /calendars/ { add_header Cache-Control "public, max-age=300"; }
    location /feeds/ { add_header Cache-Control "private, max-age=300"; }
  }
}
CONF
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!

wait_for() {
  for _ in $(seq 1 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "bench: $1 did not come up" >&2
  exit 1
}
d="http://127.0.0.1:$drill_port"
n="http://127.0.0.1:$nginx_port"
town_path=/calendars/qingshan/town.ics
wait_for "$d$town_path"
wait_for "$n$town_path"
# nginx's gzip_static file: drillcal's own compressed bytes, so both send the same body.
curl -sf -H 'Accept-Encoding: gzip' -o "$html$town_path.gz" "$d$town_path"
for path in "$town_path" "$token_path"; do
  cmp -s <(curl -s "$d$path") <(curl -s "$n$path") || { echo "bench: the servers answer different bytes for $path" >&2; exit 1; }
done
cmp -s <(curl -s -H 'Accept-Encoding: gzip' "$d$town_path") <(curl -s -H 'Accept-Encoding: gzip' "$n$town_path") ||
  { echo "bench: the servers answer different gzip bytes" >&2; exit 1; }
etag_of() { curl -sI "$1" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}'; }
d_etag="$(etag_of "$d$town_path")"
n_etag="$(etag_of "$n$town_path")"
for pair in "$d $d_etag" "$n $n_etag"; do
  set -- $pair
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $2" "$1$town_path")" = 304 ] ||
    { echo "bench: no 304 from $1" >&2; exit 1; }
done

tck="$(getconf CLK_TCK)"
ticks() {  # utime + stime of the given pids and their children threads (from /proc/PID/stat)
  local sum=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && sum=$((sum + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$sum"
}
server_pids() {  # drillcal: the process; nginx: master and workers
  if [ "$1" = drillcal ]; then echo "$serve_pid"; else echo "$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"; fi
}
# run SERVER PATH [HEADER]: prints "req/s cpu_us_per_request"
run() {
  local server="$1" path="$2" header="${3:-}" base pids before after out
  base="$d"; [ "$server" = nginx ] && base="$n"
  pids="$(server_pids "$server")"
  local hargs=()
  [ -n "$header" ] && hargs=(-H "$header")
  wrk -t2 -c"$connections" -d1s "${hargs[@]}" "$base$path" >/dev/null  # warm-up
  before="$(ticks $pids)"
  out="$(wrk -t2 -c"$connections" -d"${duration}s" "${hargs[@]}" "$base$path")"
  after="$(ticks $pids)"
  if grep -q 'Non-2xx or 3xx' <<<"$out"; then
    echo "bench: $server $path answered other statuses:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk -v t="$tck" -v cpu=$((after - before)) '
    /requests in/ { reqs = $1 }
    /Requests\/sec/ { rps = $2 }
    END { printf "%.0f %.1f\n", rps, 1e6 * cpu / t / reqs }' <<<"$out"
}

paths=("GET town.ics|$town_path|" "304 If-None-Match|$town_path|If-None-Match: ETAG" "gzip GET|$town_path|Accept-Encoding: gzip"
  "member feed GET|$token_path|")
echo "town.ics $(wc -c <"$town/feeds/town.ics") bytes, member feed $(wc -c <"$town/feeds/member-m001.ics") bytes;" \
  "wrk -t2 -c$connections -d${duration}s, $rounds interleaved rounds, $(nproc) cores, $("$nginx_bin" -v 2>&1 | sed 's/.*: //')"
results="$work/results.txt"
: >"$results"
for round in $(seq 1 "$rounds"); do
  for entry in "${paths[@]}"; do
    IFS='|' read -r label path header <<<"$entry"
    order=(drillcal nginx)
    [ $((round % 2)) -eq 0 ] && order=(nginx drillcal)
    for server in "${order[@]}"; do
      h="$header"
      if [[ "$header" == *ETAG ]]; then
        [ "$server" = drillcal ] && h="If-None-Match: $d_etag" || h="If-None-Match: $n_etag"
      fi
      read -r rps us < <(run "$server" "$path" "$h")
      echo "$label|$round|$server|$rps|$us" >>"$results"
      echo "bench: round $round  $label  $server  $rps req/s  $us µs CPU/request"
    done
  done
done

# GET / on drillcal alone: the page is drawn once per feed version, so every request after the first
# only picks it (the first was made by wait_for's neighbour above or is made here).
curl -sf -o /dev/null "$d/"
read -r index_rps index_us < <(run drillcal / "")

python3 - "$results" "$index_rps" "$index_us" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1]) if l.strip()]
labels = []
for r in rows:
    if r[0] not in labels:
        labels.append(r[0])
print()
print("| path | drillcal req/s | nginx req/s | drillcal ÷ nginx (median, range) | CPU µs/request drillcal | nginx |")
print("|---|---:|---:|---|---:|---:|")
for label in labels:
    rounds = sorted({r[1] for r in rows if r[0] == label})
    ratios, d_rps, n_rps, d_us, n_us = [], [], [], [], []
    for k in rounds:
        d = next(r for r in rows if r[0] == label and r[1] == k and r[2] == "drillcal")
        n = next(r for r in rows if r[0] == label and r[1] == k and r[2] == "nginx")
        ratios.append(float(d[3]) / float(n[3]))
        d_rps.append(float(d[3])); n_rps.append(float(n[3])); d_us.append(float(d[4])); n_us.append(float(n[4]))
    print(f"| {label} | {statistics.median(d_rps):,.0f} | {statistics.median(n_rps):,.0f} | "
          f"{100 * statistics.median(ratios):.0f} % ({100 * min(ratios):.0f}–{100 * max(ratios):.0f} %) | "
          f"{statistics.median(d_us):.0f} | {statistics.median(n_us):.0f} |")
print(f"\nGET / (subscription page, drillcal): {float(sys.argv[2]):,.0f} req/s, {float(sys.argv[3]):.0f} µs CPU per request")
PY
