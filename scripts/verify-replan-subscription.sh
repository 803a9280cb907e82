#!/usr/bin/env bash
# Hand-made changes reach a real subscription client (issue 8): vdirsyncer subscribes to a village
# team's feed on a live `drillcal serve`, khal lists it; then one session is postponed and another
# cancelled with the CLI, and the next sync shows the postponed event once, on its new day, with
# SEQUENCE raised, and the cancelled one no longer as a live event (STATUS:CANCELLED, khal marks it
# cancelled). Prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh vdirsyncer khal
source scripts/example-town.sh
example_bin
work="$(mktemp -d)"; echo "work: $work"
trap 'kill ${server:-} 2>/dev/null || true; wait ${server:-} 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
example_town "$work"
"$bin" build "$town" --now 2026-11-29T00:00:00Z >/dev/null
example_serve "$work/serve.out"
feed="$base/calendars/qingshan/team-v-shangcun.ics"
source scripts/subscribe.sh
subscribe_setup "$work" team="$feed"
khal_days() { khal -c "$work/khal.conf" list -a team 2027-01-01 366d --format '{start-date} {start-time} {cancelled}{title}' 2>/dev/null | grep -E '^2027' || true; }

passed=0; failed=0
check() { if eval "$2"; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1"; failed=$((failed + 1)); fi; }

subscribe_sync "$work"
before_files=$(ls "$work/vdir/team" | wc -l)
# The first two sessions of the team: one to postpone, one to cancel.
mapfile -t rows < <("$bin" sessions "$town" --team v-shangcun --json | python3 -c '
import json, sys
for r in json.load(sys.stdin)[:2]: print(r["code"], r["uid"], r["date"], r["start"])')
read -r pcode puid pdate ptime <<<"${rows[0]}"
read -r ccode cuid cdate ctime <<<"${rows[1]}"
check "first sync: $before_files events, $pdate $ptime listed once" '[ "$(khal_days | grep -c "^$pdate $ptime")" -eq 1 ]'
etag1=$(curl -sI "$feed" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}')

"$bin" postpone "$town" "$pcode" --reason 暴雨红色预警 --now 2026-11-30T00:00:00Z >/dev/null
"$bin" cancel "$town" "$ccode" --reason 上级通知取消 --now 2026-11-30T00:00:00Z >/dev/null
newdate=$("$bin" sessions "$town" --json | python3 -c '
import json, sys
print(next(r["date"] + " " + r["start"] for r in json.load(sys.stdin) if r["uid"] == sys.argv[1]))' "$puid")
# Wait for the server to have reloaded after both changes (it may reload once in between).
for _ in $(seq 900); do
  etag2=$(curl -sI "$feed" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}')
  [ "$etag2" != "$etag1" ] && curl -s "$feed" | grep -q STATUS:CANCELLED && break; sleep 0.2
done
check "the server picked up the changes (ETag $etag1 -> $etag2)" '[ "$etag2" != "$etag1" ]'
subscribe_sync "$work"
after_files=$(ls "$work/vdir/team" | wc -l)
check "second sync: still $after_files events (no duplicates)" '[ "$after_files" -eq "$before_files" ]'
# vdirsyncer names (and may rewrite the UIDs of) the files it stores, so events are found by start.
stamp() { echo "DTSTART;TZID=Asia/Shanghai:${1//-/}T${2//:/}00"; }
pfile=$(grep -l "$(stamp $newdate)" "$work"/vdir/team/*.ics || true)
check "the postponed event shows once, on $newdate" '[ "$(khal_days | grep -c "^$newdate")" -eq 1 ] && [ "$(echo "$pfile" | grep -c .)" -eq 1 ]'
check "nothing left at its old time $pdate $ptime" '[ "$(khal_days | grep -c "^$pdate $ptime")" -eq 0 ]'
check "the postponed event carries SEQUENCE:1" '[ -n "$pfile" ] && grep -q "SEQUENCE:1" $pfile'
cfile=$(grep -l "$(stamp $cdate $ctime)" "$work"/vdir/team/*.ics || true)
check "the cancelled event is STATUS:CANCELLED" '[ -n "$cfile" ] && grep -q "STATUS:CANCELLED" $cfile'
check "khal no longer lists it as a live event" '[ "$(khal_days | grep "^$cdate $ctime" | grep -vc CANCELLED || true)" -eq 0 ]'
echo "replan subscription: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
