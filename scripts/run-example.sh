#!/usr/bin/env bash
# The main job on the example town: schedule 2027 for 青山镇, export its calendars, then check its teams.
# `check` exits 1 on the example on purpose (龙潭村 is one member short); that is reported, not a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# A debug build: the example is small, and the test command reuses the same build.
# (scripts/bench.sh builds in release mode for timing.)
swift build --product drillcal 2>&1 | tail -n 1
bin="$(swift build --show-bin-path)/drillcal"
town="${1:-calendars/qingshan}"

"$bin" build "$town"
echo
set +e
"$bin" check "$town"
status=$?
set -e
[ "$status" -le 1 ] || exit "$status"
echo
echo "feeds: $(ls "$town"/feeds/*.ics | wc -l) files in $town/feeds (town.ics, team-*, village-*, member-*)"
