#!/usr/bin/env bash
# A real subscription client against a live `drillcal serve`: vdirsyncer subscribes to a team feed
# over http://127.0.0.1, khal lists it; then the plan changes (the village training moves from
# 14:30 to 15:00) and, without restarting the server, a second sync shows the new time with the
# same number of events: no duplicates. Prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh vdirsyncer khal
source scripts/example-town.sh
example_bin
work="$(mktemp -d)"
trap 'kill ${server:-} 2>/dev/null || true; wait ${server:-} 2>/dev/null || true; rm -rf "$work"' EXIT
example_town "$work"
"$bin" build "$town" --now 2026-11-29T00:00:00Z >/dev/null
example_serve "$work/serve.out"
feed="$base/calendars/qingshan/team-v-shangcun.ics"
source scripts/subscribe.sh
subscribe_setup "$work" team="$feed"
sync() { subscribe_sync "$work"; }
list() { subscribe_list "$work" team | grep '集中训练' || true; }

passed=0; failed=0
check() { if eval "$2"; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1"; failed=$((failed + 1)); fi; }

sync
before_files=$(ls "$work/vdir/team" | wc -l)
before_1430=$(list | grep -c '^14:30' || true)
check "first sync: $before_files events, $before_1430 trainings at 14:30" '[ "$before_files" -ge 6 ] && [ "$before_1430" -eq 4 ]'
etag1=$(curl -sI "$feed" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}')

python3 - "$town/plan.yaml" <<'PY'
import sys
p = sys.argv[1]; s = open(p, encoding="utf-8").read()
old = '    every: 2 per half-year\n    times: ["14:30"]'
assert old in s, "village-training times not found"
open(p, "w", encoding="utf-8").write(s.replace(old, '    every: 2 per half-year\n    times: ["15:00"]'))
PY
# A reload reschedules the town (the whole optimiser budget): seconds in a debug build, more under load.
for _ in $(seq 900); do
  etag2=$(curl -sI "$feed" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}')
  [ "$etag2" != "$etag1" ] && break; sleep 0.2
done
check "the server picked up the change without a restart (ETag $etag1 -> $etag2)" '[ "$etag2" != "$etag1" ]'
sync
after_files=$(ls "$work/vdir/team" | wc -l)
after_1500=$(list | grep -c '^15:00' || true)
after_1430=$(list | grep -c '^14:30' || true)
check "second sync: still $after_files events (no duplicates)" '[ "$after_files" -eq "$before_files" ]'
check "khal shows the 4 trainings at 15:00 and none at 14:30" '[ "$after_1500" -eq 4 ] && [ "$after_1430" -eq 0 ]'
seq_raised=$(grep -l 'SEQUENCE:1' "$work"/vdir/team/*.ics | wc -l)
check "the moved events carry SEQUENCE:1 ($seq_raised files)" '[ "$seq_raised" -eq 4 ]'
echo "live subscription: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
