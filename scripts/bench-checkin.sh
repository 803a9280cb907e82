#!/usr/bin/env bash
# Benchmark: durable single-mark check-ins against `drillcal serve` (issue 11). Builds (debug by default,
# BUILD=release for a release build), runs `drillcal build` on a scratch copy of the example town,
# issues leader codes for the drills with the largest rosters (enough for one member per client), starts
# the server (its clock after the year, so the sessions are open), and runs CLIENTS closed-loop clients
# (default 64) for SECONDS seconds (default 10): one mark per POST, each client on its own member and
# keep-alive connection, the next POST only after the answer (a failed one is sent again with the same
# client id, as the check-in page does). Then stops the server and checks in the store that every
# acknowledged mark is there exactly once: every acknowledged client id is in seen_client_id, none is
# stored twice or without having been sent, the audit trail has one mark change per stored mark, and
# each member's record carries their client's last mark (scripts/bench_checkin.py verify).
# The store keeps `synchronous = FULL`: every acknowledged mark was fsynced before its 200; the rate
# comes from group commit (concurrent check-ins share one transaction and one fsync).
# DB=postgres runs the same against PostgreSQL 15: a throw-away cluster (initdb + pg_ctl in the scratch
# folder on a free port, as the postgres user when run as root), `--database postgres://…` on every
# command, the check done with psql.
# INSTANCES=N (default 1) starts N servers on the same folder and database and sends every client
# through nginx with the repository's deploy/nginx/drillcal.conf in front of them (as a county
# deployment does; meant for DB=postgres, also runs on SQLite, whose writers then queue on one file).
#   scripts/bench-checkin.sh [SECONDS] [CLIENTS]        (BUILD=release, DB=postgres, INSTANCES=2, DRILLCAL_BIN=…)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
clients="${2:-64}"
config="${BUILD:-debug}"
db_kind="${DB:-sqlite}"
instances="${INSTANCES:-1}"
# DRILLCAL_BIN=path uses that binary (e.g. a release build made elsewhere) instead of building.
if [ -z "${DRILLCAL_BIN:-}" ]; then swift build -c "$config" --product drillcal 2>&1 | tail -n 1; fi
bin="${DRILLCAL_BIN:-$(swift build -c "$config" --show-bin-path)/drillcal}"

work="$(mktemp -d /tmp/drillcal-bench-checkin.XXXXXX)"
source scripts/lib-cluster.sh
trap 'cluster_cleanup; rm -rf "$work"' EXIT

cluster_town
cluster_store "$db_kind"
"$bin" build "$town" --now 2026-11-29T08:00:00Z "${dbopt[@]}" >/dev/null
cluster_pairs "$clients" "$work/pairs.txt"
sessions="$(cut -f1 "$work/pairs.txt" | sort -u | wc -l)"
for _ in $(seq 1 "$instances"); do cluster_serve_start; done
cluster_serve_wait
if [ "$instances" -gt 1 ]; then
  cluster_nginx_start
  targets="127.0.0.1:$nginx_port"
  via="through nginx over $instances instances"
else
  targets="127.0.0.1:${serve_ports[0]}"
  via="one instance"
fi
echo "bench: ${DRILLCAL_BIN:-$config build}, $db_kind store, $via, $clients clients on $(wc -l <"$work/pairs.txt") members of $sessions sessions, ${seconds}s"

python3 scripts/bench_checkin.py load --targets "$targets" --pairs "$work/pairs.txt" --clients "$clients" \
  --seconds "$seconds" --prefix bench --out "$work/result.json"
cluster_stop_servers "bench: instance"
cluster_verify "$work/result.json" bench
python3 - "$work/result.json" <<'PY2'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"bench: {r['per_second']:.0f} marks/s, every acknowledged mark stored exactly once")
PY2
