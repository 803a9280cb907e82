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
#   scripts/bench-checkin.sh [SECONDS] [CLIENTS]        (BUILD=release for a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
clients="${2:-64}"
config="${BUILD:-debug}"
bash scripts/setup.sh sqlite3
swift build -c "$config" --product drillcal 2>&1 | tail -n 1
bin="$(swift build -c "$config" --show-bin-path)/drillcal"

work="$(mktemp -d /tmp/drillcal-bench-checkin.XXXXXX)"
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp -r calendars "$work/calendars"
rm -rf "$work/calendars/qingshan/feeds" "$work/calendars/qingshan/feeds.d"
town="$work/calendars/qingshan"
db="$town/drillcal.sqlite"
"$bin" build "$town" --now 2026-11-29T08:00:00Z >/dev/null
session="$(sqlite3 "$db" "SELECT s.uid FROM session s JOIN roster_entry r ON r.session_uid = s.uid
  WHERE NOT s.cancelled AND s.kind <> 'deadline' GROUP BY s.uid ORDER BY count(*) DESC, s.uid LIMIT 1")"
sqlite3 "$db" "SELECT DISTINCT member_id FROM roster_entry WHERE session_uid = '$session' ORDER BY 1" >"$work/members.txt"
code="$("$bin" code issue "$town" "$session" | head -n 1)"
echo "bench: $config build, session $session, $(wc -l <"$work/members.txt") members on its roster, $clients clients, ${seconds}s"

# The server's clock after the year: the drill has started, so check-ins are taken.
DRILLCAL_NOW=2027-12-31T12:00:00Z "$bin" serve "$town" --host 127.0.0.1 --port 0 --log-level warning \
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

# Exactly once: acknowledged ids against what the store kept.
python3 - "$work/result.json" "$db" <<'PY'
import json, sqlite3, sys
result = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
acked = set(result["acked"])
seen = {r[0] for r in db.execute("SELECT client_id FROM seen_client_id WHERE client_id LIKE 'bench-%'")}
audits = db.execute("SELECT count(*) FROM audit WHERE action = 'mark' AND source = 'page'").fetchone()[0]
lost = acked - seen
extra = seen - acked
print(f"verify: {len(acked)} acknowledged, {len(seen)} client ids stored, {len(lost)} lost, "
      f"{len(extra)} stored but unacknowledged, {audits} mark changes audited for {result['changed']} reported")
if len(acked) != len(result["acked"]) or lost or extra or audits != result["changed"]:
    print("verify: FAILED", file=sys.stderr)
    sys.exit(1)
print(f"bench: {result['per_second']:.0f} marks/s, every acknowledged mark stored exactly once")
PY
