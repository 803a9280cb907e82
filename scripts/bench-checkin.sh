#!/usr/bin/env bash
# Benchmark: durable single-mark check-ins against `drillcal serve` (issue 11). Builds (debug by default,
# BUILD=release for a release build), runs `drillcal build` on a scratch copy of the example town,
# issues a leader code for the drill with the largest roster, starts the server (its clock after the
# year, so the session is open), and runs CLIENTS closed-loop clients (default 64) for SECONDS seconds
# (default 10): one mark per POST, each client on its own member and keep-alive connection, the next
# POST only after the answer. Then stops the server and checks in the store that every acknowledged
# mark is there exactly once: every acknowledged client id is in seen_client_id, no unacknowledged one
# is, and the audit trail has exactly as many mark changes as the answers reported.
# The store keeps `synchronous = FULL`: every acknowledged mark was fsynced before its 200; the rate
# comes from group commit (concurrent check-ins share one transaction and one fsync).
# DB=postgres runs the same against PostgreSQL 15: a throw-away cluster (initdb + pg_ctl in the scratch
# folder on a free port, as the postgres user when run as root), `--database postgres://…` on every
# command, the check done with psql.
#   scripts/bench-checkin.sh [SECONDS] [CLIENTS]        (BUILD=release, DB=postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
clients="${2:-64}"
config="${BUILD:-debug}"
db_kind="${DB:-sqlite}"
bash scripts/setup.sh sqlite3
swift build -c "$config" --product drillcal 2>&1 | tail -n 1
bin="$(swift build -c "$config" --show-bin-path)/drillcal"

work="$(mktemp -d /tmp/drillcal-bench-checkin.XXXXXX)"
serve_pid=""
pg_bin=/usr/lib/postgresql/15/bin
as_pg=()
[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
cleanup() {
  [ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  [ -d "$work/pg/data" ] && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cp -r calendars "$work/calendars"
rm -rf "$work/calendars/qingshan/feeds" "$work/calendars/qingshan/feeds.d"
town="$work/calendars/qingshan"
db="$town/drillcal.sqlite"
dbopt=()
if [ "$db_kind" = postgres ]; then
  bash scripts/setup.sh postgresql
  mkdir -p "$work/pg"
  [ "$(id -u)" -eq 0 ] && chown postgres "$work/pg" && chmod 755 "$work"
  pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U drillcal --auth=trust -E UTF8 --locale=C >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
  dbopt=(--database "postgres://drillcal@127.0.0.1:$pg_port/postgres")
  query() { psql -h 127.0.0.1 -p "$pg_port" -U drillcal -d postgres -AtX -c "$1"; }
else
  query() { sqlite3 "$db" "$1"; }
fi
"$bin" build "$town" --now 2026-11-29T08:00:00Z "${dbopt[@]}" >/dev/null
session="$(query "SELECT s.uid FROM session s JOIN roster_entry r ON r.session_uid = s.uid
  WHERE NOT s.cancelled AND s.kind <> 'deadline' GROUP BY s.uid ORDER BY count(*) DESC, s.uid LIMIT 1")"
query "SELECT DISTINCT member_id FROM roster_entry WHERE session_uid = '$session' ORDER BY 1" >"$work/members.txt"
code="$("$bin" code issue "$town" "$session" "${dbopt[@]}" | head -n 1)"
echo "bench: $config build, $db_kind store, session $session, $(wc -l <"$work/members.txt") members on its roster, $clients clients, ${seconds}s"

# The server's clock after the year: the drill has started, so check-ins are taken.
DRILLCAL_NOW=2027-12-31T12:00:00Z "$bin" serve "$town" --host 127.0.0.1 --port 0 --log-level notice "${dbopt[@]}" \
  >"$work/serve.out" 2>"$work/serve.log" &
serve_pid=$!
port=""
for _ in $(seq 1 300); do
  port="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.out" 2>/dev/null | head -n 1 | sed 's/.*://')" || true
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "bench: the server did not start" >&2; cat "$work/serve.log" >&2; exit 1; }

python3 scripts/bench_checkin.py 127.0.0.1 "$port" "$session" "$code" "$work/members.txt" "$clients" "$seconds" "$work/result.json"
kill -TERM "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
serve_pid=""
grep -o 'group commit: .*' "$work/serve.log" | sed 's/^/bench: /' || true

# Exactly once: acknowledged ids against what the store kept.
query "SELECT client_id FROM seen_client_id WHERE client_id LIKE 'bench-%'" >"$work/seen.txt"
query "SELECT count(*) FROM audit WHERE action = 'mark' AND source = 'page'" >"$work/audits.txt"
python3 - "$work/result.json" "$work/seen.txt" "$work/audits.txt" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
acked = set(result["acked"])
seen_lines = [l.strip() for l in open(sys.argv[2]) if l.strip()]
seen = set(seen_lines)
assert len(seen) == len(seen_lines), "a client id stored twice"
audits = int(open(sys.argv[3]).read().strip())
lost = acked - seen
extra = seen - acked
print(f"verify: {len(acked)} acknowledged, {len(seen)} client ids stored, {len(lost)} lost, "
      f"{len(extra)} stored but unacknowledged, {audits} mark changes audited for {result['changed']} reported")
if len(acked) != len(result["acked"]) or lost or extra or audits != result["changed"]:
    print("verify: FAILED", file=sys.stderr)
    sys.exit(1)
print(f"bench: {result['per_second']:.0f} marks/s, every acknowledged mark stored exactly once")
PY
