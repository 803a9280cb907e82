#!/usr/bin/env bash
# Reads the example town's output with consumers that share no code with drillcal:
#   1. Python `icalendar` and 2. Python `ical` (PyPI), parsing every feed file;
#   3. vdirsyncer + khal (Debian), subscribing to team and town feeds over http://127.0.0.1;
#   4. openpyxl (PyPI), opening the attendance workbook after a recorded 9-of-10 drill.
# Works on a temporary copy of calendars/, so the example folder is not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh vdirsyncer khal python3-venv
work="$(mktemp -d)"
trap 'kill ${server:-} 2>/dev/null || true; rm -rf "$work"' EXIT

swift build --product drillcal 2>&1 | tail -n 1
bin="$(swift build --show-bin-path)/drillcal"
cp -r calendars "$work/calendars"
rm -rf "$work/calendars/qingshan/feeds" "$work/calendars/qingshan/feeds.d"
"$bin" build "$work/calendars/qingshan" --now 2026-11-29T00:00:00Z >/dev/null
feeds="$work/calendars/qingshan/feeds"

venv="${DRILLCAL_VENV:-$HOME/.cache/drillcal-venv}"
[ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
"$venv/bin/python" -c 'import icalendar, ical, openpyxl' 2>/dev/null || "$venv/bin/pip" install -q icalendar ical openpyxl
"$venv/bin/python" scripts/verify_feeds.py "$feeds"

# openpyxl: the attendance workbook after Xiaping's flood drill with 9 of its 10 present.
town="$work/calendars/qingshan"
drill="qingshan-2027-flood-evacuation-v-xiaping-01@drillcal"
DRILLCAL_NOW=2027-12-31T12:00:00Z "$bin" attend "$town" "$drill" --present m048,m049,m050,m051,m052,m053,m054,m055,m056 --by verify >/dev/null
"$bin" report "$town" --year 2027 --format xlsx --out "$work/report.xlsx" --as-of 2027-04-01 >/dev/null
"$venv/bin/python" scripts/verify_report.py "$work/report.xlsx"

# vdirsyncer + khal: subscribe over HTTP like a desktop client.
port=$(( 20000 + RANDOM % 20000 ))
( cd "$feeds" && exec /usr/bin/python3 -m http.server "$port" --bind 127.0.0.1 ) >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/town.ics" >/dev/null 2>&1 && break; sleep 0.1; done
source scripts/subscribe.sh
# The member feed carries ATTENDEE under METHOD:PUBLISH (public feeds name nobody): khal must read it too.
subscribe_setup "$work" team="http://127.0.0.1:$port/team-v-shangcun.ics" town="http://127.0.0.1:$port/town.ics" \
  member="http://127.0.0.1:$port/member-m048.ics"
subscribe_sync "$work"
expected_team=$(grep -c '^BEGIN:VEVENT' "$feeds/team-v-shangcun.ics")
expected_town=$(grep -c '^BEGIN:VEVENT' "$feeds/town.ics")
expected_member=$(grep -c '^BEGIN:VEVENT' "$feeds/member-m048.ics")
got_member=$(ls "$work/vdir/member" | wc -l)
member_listed=$(subscribe_list "$work" member | grep -c . || true)
got_team=$(ls "$work/vdir/team" | wc -l)
got_town=$(ls "$work/vdir/town" | wc -l)
listed=$(subscribe_list "$work" team | grep -c '上村应急救援队' || true)
passed=3; failed=0
if [ "$got_team" -eq "$expected_team" ] && [ "$got_town" -eq "$expected_town" ] && [ "$listed" -ge "$expected_team" ] \
  && [ "$expected_member" -gt 0 ] && [ "$got_member" -eq "$expected_member" ] && [ "$member_listed" -ge "$expected_member" ]; then
  echo "vdirsyncer+khal: ok (team-v-shangcun: $got_team of $expected_team events synced, khal lists $listed; town: $got_town of $expected_town; member-m048 with attendees: $got_member of $expected_member, khal lists $member_listed)"
  passed=$((passed + 1))
else
  echo "vdirsyncer+khal: FAILED (team synced $got_team/$expected_team, khal listed $listed, town synced $got_town/$expected_town, member synced $got_member/$expected_member, khal listed $member_listed)"
  failed=1
fi
echo "consumers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
